// Run before the smoke test installs the packages' optional peers (vitest): every entry point loads
// without them — `@agent-identity/core/testing` (ManualClock, CapturingLogger, the in-memory fakes)
// included — except the ones below, which exist to call into that peer and say so.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

/** Entry points that need an optional peer, and which one. */
const NEEDS_OPTIONAL_PEER = new Map([
  ['@agent-identity/core/testing/conformance', 'vitest'],
  // The registry's ./testing export is its conformance suite: describe/it come from vitest.
  ['@agent-identity/registry/testing', 'vitest'],
]);

const { imports } = JSON.parse(readFileSync(new URL('./entry-points.json', import.meta.url), 'utf8'));

test('vitest is not installed', async () => {
  await assert.rejects(import('vitest'), { code: 'ERR_MODULE_NOT_FOUND' });
});

test('@agent-identity/core/testing gives ManualClock and CapturingLogger without vitest', async () => {
  const { ManualClock, CapturingLogger } = await import('@agent-identity/core/testing');
  const clock = new ManualClock(1_000);
  clock.advance(500);
  assert.equal(clock.now(), 1_500);
  const logger = new CapturingLogger();
  logger.info('registered', { thread: 't-1' });
  assert.match(logger.text(), /registered/);
});

for (const { specifier } of imports.filter((entry) => !entry.isJson)) {
  const peer = NEEDS_OPTIONAL_PEER.get(specifier);
  if (peer === undefined) {
    test(`import ${specifier} without the optional peers`, async () => {
      assert.equal(typeof (await import(specifier)), 'object');
    });
  } else {
    test(`import ${specifier} names the missing ${peer}`, async () => {
      await assert.rejects(
        import(specifier),
        (error) => error.code === 'ERR_MODULE_NOT_FOUND' && error.message.includes(`'${peer}'`),
      );
    });
  }
}
