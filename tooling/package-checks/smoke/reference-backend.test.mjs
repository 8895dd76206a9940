// The reference backend runs from the installed tarball: in process (startReferenceBackend) and
// as its command, each only once the package offers it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import * as referenceBackend from '@agent-identity/reference-backend';

const { bins } = JSON.parse(readFileSync(new URL('./entry-points.json', import.meta.url), 'utf8'));
const cli = bins.find((bin) => bin.packageName === '@agent-identity/reference-backend');

async function assertListens(url) {
  const response = await fetch(url);
  await response.arrayBuffer();
}

if (typeof referenceBackend.startReferenceBackend === 'function') {
  test('startReferenceBackend listens on a free port and closes', async () => {
    const backend = await referenceBackend.startReferenceBackend({ port: 0 });
    const { port } = new URL(backend.url);
    assert.notEqual(port, '0');
    await assertListens(backend.url);
    await backend.close();
    await assert.rejects(fetch(backend.url));
  });
}

if (cli !== undefined) {
  test(`${cli.name} prints its base URL, serves, and exits 0 on SIGTERM`, { timeout: 30_000 }, async () => {
    const child = spawn(new URL(`./node_modules/.bin/${cli.name}`, import.meta.url).pathname, ['--port', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = once(child, 'exit');
    try {
      const [firstLine] = await once(createInterface({ input: child.stdout }), 'line');
      assert.match(firstLine, /^http:\/\/127\.0\.0\.1:[1-9]\d*/);
      await assertListens(firstLine);
    } finally {
      child.kill('SIGTERM');
    }
    const [code, signal] = await exited;
    assert.deepEqual({ code, signal }, { code: 0, signal: null });
  });
}
