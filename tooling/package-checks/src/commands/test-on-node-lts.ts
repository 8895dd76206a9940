// Runs the vitest suite (built once, on the Node that runs this) again on the current Node LTS,
// fetched from npm as the official binary's package: the suite is proven on both lines. Arguments
// are passed to vitest (`pnpm run test:node-lts packages/protocol` runs one package's tests).
import { spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { runCommand } from '../command.js';
import { installNodeBinary, NODE_LTS_MAJOR } from '../node-lts.js';
import { findWorkspaceRoot } from '../workspace.js';

const root = findWorkspaceRoot(import.meta.dirname);
const cacheDir = join(root, 'node_modules', '.cache', 'node-lts');
await mkdir(cacheDir, { recursive: true });
const node = await installNodeBinary(cacheDir, NODE_LTS_MAJOR);
const version = (await runCommand(node, ['--version'], { cwd: root })).trim();
process.stdout.write(`vitest on Node ${version} (${node})\n`);

const vitestDir = join(root, 'node_modules', 'vitest');
const { bin } = JSON.parse(await readFile(join(vitestDir, 'package.json'), 'utf8')) as { bin: { vitest: string } };
const exitCode = await new Promise<number>((resolve, reject) => {
  const child = spawn(node, [join(vitestDir, bin.vitest), 'run', ...process.argv.slice(2)], {
    cwd: root,
    // Tests that start `node` by name (child processes, CLIs) get the LTS too.
    env: { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}` },
    stdio: 'inherit',
  });
  child.on('error', reject);
  child.on('exit', (code, signal) => {
    resolve(code ?? (signal === null ? 1 : 128));
  });
});
process.exitCode = exitCode;
