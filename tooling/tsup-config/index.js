// @ts-check
import { defineConfig } from 'tsup';

/**
 * The build of one published package: ESM only (Node >= 20.19 can `require()` ESM), type
 * declarations, source maps, a clean `dist` every time.
 *
 * @param {Record<string, string>} entry entry name → source file, e.g. `{ index: 'src/index.ts' }`
 */
export function packageBuild(entry) {
  return defineConfig({
    entry,
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    // `@internal` members (constructors the package calls itself, hooks between its own modules)
    // are not part of the published types.
    dts: { compilerOptions: { stripInternal: true } },
    sourcemap: true,
    clean: true,
    splitting: true,
    treeshake: true,
  });
}
