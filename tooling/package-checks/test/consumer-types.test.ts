import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consumerTypeProblems } from '../src/consumer-types.js';

let project: string;

async function writePackage(name: string, files: Record<string, string>): Promise<void> {
  const dir = join(project, 'node_modules', name);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

function samplePackage(declarations: string): Record<string, string> {
  return {
    'package.json': JSON.stringify({
      name: '@agent-identity/sample',
      version: '1.0.0',
      type: 'module',
      exports: { '.': { types: './index.d.ts', default: './index.js' } },
    }),
    'index.js': 'export const x = 1;\n',
    'index.d.ts': declarations,
  };
}

beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), 'package-checks-types-'));
  await writeFile(join(project, 'package.json'), '{"type": "module"}');
  await writeFile(
    join(project, 'probe.ts'),
    "import * as sample from '@agent-identity/sample';\nexport const entries = [sample];\n",
  );
  // A consumer has Node's types; link the workspace's copy rather than install one.
  const typesNode = dirname(createRequire(import.meta.url).resolve('@types/node/package.json'));
  await mkdir(join(project, 'node_modules', '@types'), { recursive: true });
  await symlink(typesNode, join(project, 'node_modules', '@types', 'node'), 'dir');
  await writePackage('untyped-lib', {
    'package.json': '{"name": "untyped-lib", "version": "1.0.0", "main": "index.js"}',
    'index.js': 'exports.Socket = class {};\n',
  });
});

afterEach(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('consumerTypeProblems', () => {
  it('finds nothing wrong with declarations that use only Node and their own types', async () => {
    await writePackage(
      '@agent-identity/sample',
      samplePackage(
        "import type { KeyObject } from 'node:crypto';\nexport declare const x: number;\nexport declare function key(): KeyObject;\n",
      ),
    );
    expect(consumerTypeProblems(project, 'probe.ts', ['@agent-identity/sample'])).toEqual([]);
  });

  it('reports a declaration that imports a package without types', async () => {
    await writePackage(
      '@agent-identity/sample',
      samplePackage("import { Socket } from 'untyped-lib';\nexport declare function socket(): Socket;\n"),
    );
    expect(consumerTypeProblems(project, 'probe.ts', ['@agent-identity/sample'])).toEqual([
      expect.stringMatching(
        /^node_modules\/@agent-identity\/sample\/index\.d\.ts\(1,24\): error TS7016: Could not find a declaration file for module 'untyped-lib'/,
      ),
    ]);
  });

  it('reports an entry point without declarations in the probe itself', async () => {
    await writePackage('@agent-identity/sample', {
      ...samplePackage(''),
      'package.json': JSON.stringify({
        name: '@agent-identity/sample',
        version: '1.0.0',
        type: 'module',
        exports: './index.js',
      }),
    });
    await rm(join(project, 'node_modules', '@agent-identity', 'sample', 'index.d.ts'));
    expect(consumerTypeProblems(project, 'probe.ts', ['@agent-identity/sample'])).toEqual([
      expect.stringMatching(/^probe\.ts\(1,25\): error TS7016/),
    ]);
  });
});
