// @ts-check
import { defineProject } from 'vitest/config';

/** Resolve sibling workspace packages to their TypeScript source (see their `exports`). */
const conditions = ['@agent-identity/source', 'node', 'import', 'module', 'default'];

// Vitest hands the SSR conditions to the test workers as `node --conditions`, which then apply to
// `require` too: with `import` among them, `pg`'s `require('pg-pool')` gets pg-pool's ES module and
// fails. Node adds `import` to every `import` by itself, so the workers go without it. Nor do they
// take `module`, a bundlers' condition Node does not know: OpenTelemetry's `module` builds import
// without file extensions, which Node refuses.
const workerConditions = conditions.filter((condition) => condition !== 'import' && condition !== 'module');

/**
 * A Vitest project for one workspace package: tests under `test/`, Node environment, sibling
 * packages read from source so tests never wait for a build.
 *
 * @param {string} name the project name shown in test output
 * @param {{ testTimeout?: number }} [options]
 */
export function packageProject(name, options = {}) {
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions: workerConditions } },
    test: {
      name,
      environment: 'node',
      include: ['test/**/*.test.ts'],
      testTimeout: options.testTimeout ?? 20_000,
      hookTimeout: 20_000,
      restoreMocks: true,
      unstubEnvs: true,
    },
  });
}
