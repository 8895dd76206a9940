import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCodexLogin } from '@agent-identity/core';
import { startReferenceBackend, type ReferenceBackend } from '@agent-identity/reference-backend';
import { createFreshDatabase, type FreshDatabase } from '@agent-identity/postgres-server/fresh-database';
import { ALICE, runTypeScriptSource } from '@agent-identity/test-bed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockFileName, readmeBlocks, type ReadmeBlock } from '../src/readme-blocks.js';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const root = join(packageDir, '..', '..');
/** Inside this package, so the blocks resolve `@agent-identity/*` as a user's project would. */
const blocksDir = join(packageDir, '.blocks');

const blocks = await readmeBlocks(root);
const runnable = blocks.filter((block) => block.mode === 'run');
const notRun = blocks.filter((block) => block.mode !== 'run');

let backend: ReferenceBackend;
const homes: string[] = [];
const databases: FreshDatabase[] = [];

beforeAll(async () => {
  await rm(blocksDir, { recursive: true, force: true });
  await mkdir(blocksDir);
  // The root README's runtime module (apps/agent-cli/examples/runtime.ts), which blocks may import.
  await copyFile(join(root, 'apps', 'agent-cli', 'examples', 'runtime.ts'), join(blocksDir, 'runtime.ts'));
  for (const block of blocks.filter(({ mode }) => mode !== 'fragment')) {
    await writeFile(join(blocksDir, blockFileName(block)), block.code);
  }
  await writeFile(
    join(blocksDir, 'tsconfig.json'),
    JSON.stringify({ extends: '@agent-identity/tsconfig/base.json', include: ['*.ts'] }),
  );
  backend = await startReferenceBackend({ users: [ALICE] });
});

afterAll(async () => {
  await backend.close();
  for (const home of homes) await rm(home, { recursive: true, force: true });
  for (const database of databases) await database.drop();
});

/** What a block runs with: a Codex home where Alice is logged in, the backend, a database of its own. */
async function blockEnvironment(): Promise<NodeJS.ProcessEnv> {
  const home = await mkdtemp(join(tmpdir(), 'readme-block-'));
  homes.push(home);
  await writeCodexLogin({ codexHome: home, tokens: backend.admin.mintCodexLogin() });
  const database = await createFreshDatabase(4);
  databases.push(database);
  return {
    CODEX_HOME: home,
    HOME: home,
    AGENT_IDENTITY_BASE_URL: backend.baseUrl,
    DATABASE_URL: database.url,
  };
}

function label(block: ReadmeBlock): string {
  return `${block.readme}:${block.line}`;
}

describe('the TypeScript blocks of every package, app and tooling README (issue 12 item 8)', () => {
  it('are found, and each one that is not run says why', () => {
    expect(runnable.length).toBeGreaterThan(10);
    for (const block of notRun) expect(block.reason, label(block)).toMatch(/\S/);
  });

  it.each(notRun.map((block) => [label(block), block.mode, block.reason]))('%s is %s: %s', (_label, mode) => {
    expect(['no-run', 'fragment']).toContain(mode);
  });

  it('type-check as a user project (tsc, strict, Node types only: no DOM)', async () => {
    const tsc = join(dirname(fileURLToPath(import.meta.resolve('typescript'))), '..', 'bin', 'tsc');
    const { code, stdout, stderr } = await runTypeScriptSource(tsc, {
      cwd: blocksDir,
      args: ['-p', 'tsconfig.json', '--pretty', 'false'],
    });

    expect(`${stdout}${stderr}`).toBe('');
    expect(code).toBe(0);
  });

  describe.concurrent('run against a reference backend, in a Codex home where a user is logged in', () => {
    it.each(runnable.map((block) => [label(block), block] as const))('%s exits 0', async (_label, block) => {
      const { code, stderr } = await runTypeScriptSource(blockFileName(block), {
        cwd: blocksDir,
        env: await blockEnvironment(),
      });

      expect(stderr).toBe('');
      expect(code).toBe(0);
    });
  });
});
