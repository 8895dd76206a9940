import type { ServerResponse } from 'node:http';
import { decodeAgentAssertionHeader } from '@agent-identity/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgentFetch, recoveryErrorOf } from '../src/index.js';
import { echo, ScriptedServer, type ReceivedRequest } from './support/scripted-server.js';
import { outputText, responsesRequest } from './support/sse-events.js';
import { closeTestBeds, TestBed } from './support/test-bed.js';

afterEach(closeTestBeds);

// The reference backend runs on real time (its `Date` headers are Node's); the resumed runtime is
// given a local clock that is off by a known amount.
const TEN_MINUTES_MS = 10 * 60_000;
/** How close a corrected time must be to the real one: the Date header's second plus a round trip. */
const TOLERANCE_MS = 3_000;

const skews = [
  { name: '10 minutes behind', localSkewMs: -TEN_MINUTES_MS, refusal: 'expired' },
  { name: '10 minutes ahead', localSkewMs: TEN_MINUTES_MS, refusal: 'from_future' },
] as const;

/**
 * A thread whose task a runtime on the real clock registered, resumed by a second runtime whose
 * clock is `localSkewMs` off: it has its cached task and has not called the backend.
 */
async function resumedOnSkewedClock(bed: TestBed, localSkewMs: number) {
  const { thread, task } = await bed.taskThread();
  const runtime = bed.runtime({ now: () => Date.now() + localSkewMs });
  const resumed = await runtime.resumeThread(thread.id);
  await resumed.prewarmed;
  expect(resumed.task).toEqual(task);
  expect(runtime.clockOffsetMs).toBe(0);
  return { runtime, thread: resumed, task };
}

function signedAtMs(request: ReceivedRequest | undefined): number {
  return Date.parse(decodeAgentAssertionHeader(request?.headers.authorization ?? '').timestamp);
}

describe('a resumed thread on a skewed clock (SPEC §5, beyond Codex: clock skew seen downstream)', () => {
  it.each(skews)('$name: the first request is refused ($refusal), retried once on the corrected clock, accepted', async ({ localSkewMs, refusal }) => {
    const bed = await TestBed.start({ rolloutStore: 'file' });
    const { runtime, thread, task } = await resumedOnSkewedClock(bed, localSkewMs);
    const before = bed.counters();
    const agentFetch = createAgentFetch(thread, { logger: bed.logger });

    const response = await agentFetch(bed.backend.responsesUrl, responsesRequest('on time'));

    expect(response.status).toBe(200);
    expect(recoveryErrorOf(response)).toBeUndefined();
    expect(await outputText(response)).toBe(`echo: on time (agent ${task.agent_runtime_id}, task ${task.task_id})`);
    expect(Math.abs(runtime.clockOffsetMs + localSkewMs)).toBeLessThan(TOLERANCE_MS);
    const after = bed.counters();
    expect(after.downstream.http).toEqual({ accepted: 1, rejected: { [refusal]: 1 } });
    expect(after.biscuitsMinted).toBe(before.biscuitsMinted); // the backend was never called
    expect(await bed.stateLines(thread.id)).toEqual([task]); // the task was never in question
    expect(bed.logger.lines).toContainEqual({
      level: 'info',
      message: 'agent identity: the downstream service refused the assertion timestamp; retrying once on the corrected clock',
      fields: { threadId: thread.id, refusal },
    });

    // later requests are signed on the corrected clock straight away
    expect((await agentFetch(bed.backend.responsesUrl, responsesRequest('again'))).status).toBe(200);
    expect(bed.counters().downstream.http).toEqual({ accepted: 2, rejected: { [refusal]: 1 } });
  });

  it('with a one-shot body: the 401 comes back with BODY_NOT_REPLAYABLE; the clock is corrected for the next request', async () => {
    const bed = await TestBed.start({ rolloutStore: 'file' });
    const { runtime, thread } = await resumedOnSkewedClock(bed, -TEN_MINUTES_MS);
    const agentFetch = createAgentFetch(thread);
    const body = new Blob([JSON.stringify({ model: 'test-model', input: 'streamed', stream: true })]).stream();

    const response = await agentFetch(bed.backend.responsesUrl, responsesRequest('', { body, duplex: 'half' }));

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'expired' } });
    expect(recoveryErrorOf(response)?.code).toBe('BODY_NOT_REPLAYABLE');
    expect(recoveryErrorOf(response)?.message).toContain('(expired)');
    expect(Math.abs(runtime.clockOffsetMs - TEN_MINUTES_MS)).toBeLessThan(TOLERANCE_MS);
    expect((await agentFetch(bed.backend.responsesUrl, responsesRequest('fresh body'))).status).toBe(200);
    expect(bed.counters().downstream.http).toEqual({ accepted: 1, rejected: { expired: 1 } });
  });

  it('a refusal whose Date shows no skew is not retried', async () => {
    const bed = await TestBed.start();
    const { thread, task } = await bed.taskThread();
    const expired = { error: { code: 'expired', message: 'the assertion is 400 s old' } };
    bed.backend.admin.injectFault('responses', { kind: 'status', status: 401, body: expired }, { times: 2 });

    const response = await createAgentFetch(thread)(bed.backend.responsesUrl, responsesRequest('refused'));

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(expired);
    expect(recoveryErrorOf(response)).toBeUndefined();
    expect(bed.counters().faultsApplied.responses).toBe(1);
    expect(thread.task).toEqual(task);
  });

  it('a second timestamp refusal after the retry is returned with REFUSED_AFTER_RETRY: one retry at most', async () => {
    const bed = await TestBed.start();
    const runtime = bed.runtime();
    const thread = await runtime.startThread();
    await thread.prewarmed;
    await using server = await ScriptedServer.start((_request, response: ServerResponse) => {
      // a server whose clock is 10 minutes ahead, refusing every timestamp as expired
      response.writeHead(401, { 'content-type': 'application/json', date: new Date(Date.now() + TEN_MINUTES_MS).toUTCString() });
      response.end(JSON.stringify({ error: { code: 'expired', message: 'too old' } }));
    });

    const response = await createAgentFetch(thread)(server.url, { method: 'POST', body: '{}' });

    expect(response.status).toBe(401);
    expect(recoveryErrorOf(response)?.code).toBe('REFUSED_AFTER_RETRY');
    expect(server.received).toHaveLength(2);
    const [first, second] = server.received.map(signedAtMs);
    expect(Math.abs((second ?? 0) - (first ?? 0) - TEN_MINUTES_MS)).toBeLessThan(TOLERANCE_MS);
  });
});

describe('every answer to an assertion teaches the clock (one Date header per response)', () => {
  it('an accepted response whose Date is 10 minutes ahead moves the offset before any refusal', async () => {
    const bed = await TestBed.start();
    const runtime = bed.runtime();
    const thread = await runtime.startThread();
    await thread.prewarmed;
    await using server = await ScriptedServer.start((request, response) => {
      response.setHeader('date', new Date(Date.now() + TEN_MINUTES_MS).toUTCString());
      echo(request, response);
    });
    const agentFetch = createAgentFetch(thread);

    expect((await agentFetch(server.url, { method: 'POST', body: 'one' })).status).toBe(200);
    expect(Math.abs(runtime.clockOffsetMs - TEN_MINUTES_MS)).toBeLessThan(TOLERANCE_MS);
    await agentFetch(server.url, { method: 'POST', body: 'two' });
    const [first, second] = server.received.map(signedAtMs);
    expect(Math.abs((second ?? 0) - (first ?? 0) - TEN_MINUTES_MS)).toBeLessThan(TOLERANCE_MS);
  });

  it('a bearer request’s answer teaches nothing: only servers that check our signatures do', async () => {
    const bed = await TestBed.start();
    const runtime = bed.runtime({ useAgentIdentity: false });
    const thread = await runtime.startThread();
    await using server = await ScriptedServer.start((request, response) => {
      response.setHeader('date', new Date(Date.now() + TEN_MINUTES_MS).toUTCString());
      echo(request, response);
    });
    const response = await createAgentFetch(thread)(server.url);
    expect(response.status).toBe(200);
    expect(server.received[0]?.headers.authorization).toMatch(/^Bearer /);
    expect(runtime.clockOffsetMs).toBe(0);
  });
});
