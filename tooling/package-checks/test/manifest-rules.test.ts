import { describe, expect, it } from 'vitest';
import { checkPackedManifest, importedPackageName } from '../src/manifest-rules.js';
import { goodManifest, packedContext } from './packed-manifest.js';

function problems(overrides: Record<string, unknown>, texts: Record<string, string> = {}): string[] {
  return checkPackedManifest(goodManifest(overrides), packedContext(texts));
}

describe('checkPackedManifest', () => {
  it('finds nothing wrong with a well-packed manifest', () => {
    expect(problems({})).toEqual([]);
  });

  it('flags workspace: and catalog: ranges left in any dependency field', () => {
    expect(
      problems({
        dependencies: { '@agent-identity/protocol': 'workspace:*' },
        peerDependencies: { zod: 'catalog:' },
        devDependencies: { '@agent-identity/tsconfig': 'workspace:^' },
      }),
    ).toEqual([
      'no workspace:/catalog: ranges: dependencies.@agent-identity/protocol is "workspace:*" (not rewritten by pnpm pack)',
      'no workspace:/catalog: ranges: peerDependencies.zod is "catalog:" (not rewritten by pnpm pack)',
      'no workspace:/catalog: ranges: devDependencies.@agent-identity/tsconfig is "workspace:^" (not rewritten by pnpm pack)',
    ]);
  });

  it('flags the @agent-identity/source condition at any depth of exports', () => {
    expect(
      problems({
        exports: {
          '.': { '@agent-identity/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
          './testing': { node: { '@agent-identity/source': './src/testing.ts', default: './dist/testing.js' } },
        },
      }).filter((problem) => problem.startsWith('no source condition')),
    ).toEqual([
      'no source condition: exports["."]["@agent-identity/source"]: the @agent-identity/source condition is published',
      'no source condition: exports["./testing"]["node"]["@agent-identity/source"]: the @agent-identity/source condition is published',
    ]);
  });

  it('requires types to be the first condition wherever it appears', () => {
    expect(problems({ exports: { '.': { default: './dist/index.js', types: './dist/index.d.ts' } } })).toEqual([
      'exports, types first: exports["."]: "types" must be the first condition (is "default")',
    ]);
  });

  it('requires exports, files, type module, sideEffects false, engines.node and public access', () => {
    expect(
      problems({
        exports: undefined,
        files: [],
        type: 'commonjs',
        sideEffects: true,
        engines: {},
        publishConfig: {},
      }).map((problem) => problem.split(':')[0]),
    ).toEqual(['files', 'exports, types first', 'type', 'sideEffects', 'engines.node', 'publishConfig.access']);
  });

  it('requires engines.node to be the supported range, Node 24 LTS included', () => {
    expect(problems({ engines: { node: '>=20.19' } })).toEqual([
      'engines.node: "engines.node" is ">=20.19", not the supported range "^20.19.0 || ^22.12.0 || >=24.0.0"',
    ]);
  });

  it('requires repository.directory to name the folder the package lives in', () => {
    expect(
      problems({ repository: { type: 'git', url: 'git+https://example.invalid/x.git', directory: 'packages/crypto' } }),
    ).toEqual([
      'repository.directory: "repository.directory" is "packages/crypto", the package lives in "packages/core"',
    ]);
    expect(problems({ repository: undefined })).toEqual(['repository.directory: "repository.url" is missing']);
  });

  it('requires every bin to be in the tarball and to start with a #! line', () => {
    expect(problems({ bin: { 'agent-identity-backend': './dist/cli.js' } })).toEqual([]);
    expect(
      problems({ bin: { 'agent-identity-backend': './dist/cli.js' } }, { 'dist/cli.js': 'import "./x.js";\n' }),
    ).toEqual(['bins: bin "agent-identity-backend": ./dist/cli.js does not start with a #! line']);
    expect(problems({ bin: './dist/missing.js' })).toEqual([
      'bins: bin "core": ./dist/missing.js is not in the tarball',
    ]);
  });

  it('accepts imports of dependencies, peers, Node built-ins, the package itself and its own files', () => {
    const js = [
      "import { z } from 'zod';",
      'import { decodeBase64 } from "@agent-identity/protocol";',
      "import { readFile } from 'fs/promises';",
      "import { inspect } from 'node:util';",
      "import { chunk } from './chunk-ABC.js';",
      "const self = await import('@agent-identity/core/testing');",
    ].join('\n');
    expect(problems({ peerDependencies: { zod: '^4.0.0' } }, { 'dist/index.js': js })).toEqual([]);
  });

  it('flags a package the built files import without declaring it, in JavaScript and in .d.ts', () => {
    expect(
      problems(
        { devDependencies: { '@noble/hashes': '^2.0.0' } },
        {
          'dist/index.js': "import { blake2b } from '@noble/hashes/blake2.js';\nimport 'reflect-metadata';\n",
          'dist/index.d.ts': "export declare function pool(): import('ws').WebSocket;\n",
        },
      ),
    ).toEqual([
      'imports declared: dist/index.d.ts imports "ws", which is not in dependencies or peerDependencies',
      'imports declared: dist/index.js imports "@noble/hashes", which is not in dependencies or peerDependencies',
      'imports declared: dist/index.js imports "reflect-metadata", which is not in dependencies or peerDependencies',
    ]);
  });
});

describe('importedPackageName', () => {
  it('is the package of a bare specifier, scoped or not, and nothing for files and built-ins', () => {
    expect(importedPackageName('@noble/ciphers/salsa.js')).toBe('@noble/ciphers');
    expect(importedPackageName('ws')).toBe('ws');
    expect(importedPackageName('vitest/config')).toBe('vitest');
    expect(importedPackageName('./chunk.js')).toBeUndefined();
    expect(importedPackageName('node:fs')).toBeUndefined();
    expect(importedPackageName('timers/promises')).toBeUndefined();
  });
});
