import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The Codex CLI releases this package pins (its devDependencies `codex-<version>`, npm aliases of `@openai/codex`). */
export type CodexVersion = '0.122' | '0.171';

/** Codex's npm package ships its native binary in a per-platform optional dependency (as its `bin/codex.js` finds it). */
const platformPackages: Readonly<Record<string, { readonly name: string; readonly triple: string }>> = {
  'linux-x64': { name: '@openai/codex-linux-x64', triple: 'x86_64-unknown-linux-musl' },
  'linux-arm64': { name: '@openai/codex-linux-arm64', triple: 'aarch64-unknown-linux-musl' },
  'darwin-x64': { name: '@openai/codex-darwin-x64', triple: 'x86_64-apple-darwin' },
  'darwin-arm64': { name: '@openai/codex-darwin-arm64', triple: 'aarch64-apple-darwin' },
  'win32-x64': { name: '@openai/codex-win32-x64', triple: 'x86_64-pc-windows-msvc' },
  'win32-arm64': { name: '@openai/codex-win32-arm64', triple: 'aarch64-pc-windows-msvc' },
};

/**
 * Where each release keeps its binary inside `vendor/<target triple>/`, and the folder of helpers
 * (`rg`) its launcher puts first on `PATH` (0.171's binary finds its own).
 */
const layouts: Readonly<
  Record<CodexVersion, { readonly binary: readonly string[]; readonly helpers: string | undefined }>
> = {
  '0.122': { binary: ['codex', 'codex'], helpers: 'path' },
  '0.171': { binary: ['bin', 'codex'], helpers: undefined },
};

/** Where a Codex release's native binary is, and the folder of helpers its launcher puts on `PATH`. */
export interface CodexBinary {
  readonly version: CodexVersion;
  readonly path: string;
  readonly helpersPath: string | undefined;
}

/**
 * The native binary of the pinned Codex `version`, run directly (not through the npm launcher, so a
 * kill reaches the real process). Throws, naming what is missing, when the install did not bring it:
 * the Codex tests fail then, they never skip.
 */
export function codexBinary(version: CodexVersion): CodexBinary {
  const platform = platformPackages[`${process.platform}-${process.arch}`];
  if (platform === undefined)
    throw new Error(`Codex ${version} ships no binary for ${process.platform}-${process.arch}`);
  const require = createRequire(import.meta.url);
  let launcher: string;
  let vendor: string;
  try {
    launcher = require.resolve(`codex-${version}/package.json`);
    vendor = join(dirname(createRequire(launcher).resolve(`${platform.name}/package.json`)), 'vendor', platform.triple);
  } catch (error) {
    throw new Error(
      `Codex ${version} is not installed for ${process.platform}-${process.arch}: run \`pnpm install\` (the devDependency codex-${version} and its optional dependency ${platform.name} must be installed)`,
      { cause: error },
    );
  }
  const layout = layouts[version];
  const path = `${join(vendor, ...layout.binary)}${process.platform === 'win32' ? '.exe' : ''}`;
  if (!existsSync(path)) throw new Error(`Codex ${version}'s package is installed but its binary is missing: ${path}`);
  return { version, path, helpersPath: layout.helpers === undefined ? undefined : join(vendor, layout.helpers) };
}
