import type { ServerResponse } from 'node:http';
import { decodeAgentAssertionHeader } from '@agent-identity/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgentFetch, recoveryErrorOf } from '../src/index.js';
import { echo, ScriptedServer, type ReceivedRequest } from './support/scripted-server.js';
import { responsesRequest } from './support/sse-events.js';
import { closeTestBeds, TestBed } from './support/test-bed.js';

afterEach(closeTestBeds);

// The reference backend runs on real time (its `Date` headers are Node's); a runtime may be given a
// local clock that is off by a known amount.
const TEN_MINUTES_MS = 10 * 60_000;
const TWENTY_THREE_HOURS_MS = 23 * 60 * 60_000;
/** How close a signed time must be to the real one: the Date header's second plus a round trip. */
const TOLERANCE_MS = 3_000;

function signedAtMs(request: ReceivedRequest | undefined): number {
  return Date.parse(decodeAgentAssertionHeader(request?.headers.authorization ?? '').timestamp);
}

function expired(response: ServerResponse, dateMs: number): void {
  response.writeHead(401, { 'content-type': 'application/json', date: new Date(dateMs).toUTCString() });
  response.end(JSON.stringify({ error: { code: 'expired', message: 'too old' } }));
}

describe('a hostile downstream never moves the signing clock (SPEC §5, security rules)', () => {
  it('a 401 expired with Date: now+23h is returned as it is: no retry, no assertion dated in the future', async () => {
    const bed = await TestBed.start();
    const runtime = bed.runtime();
    const thread = await runtime.startThread();
    await thread.prewarmed;
    await using server = await ScriptedServer.start((request, response, index) => {
      if (index === 0) expired(response, Date.now() + TWENTY_THREE_HOURS_MS);
      else echo(request, response);
    });
    const agentFetch = createAgentFetch(thread, { logger: bed.logger });

    const refused = await agentFetch(server.url, { method: 'POST', body: '{}' });
    expect(refused.status).toBe(401);
    expect(recoveryErrorOf(refused)).toBeUndefined();
    expect(server.received).toHaveLength(1);
    expect(runtime.clockOffsetMs).toBe(0);

    expect((await agentFetch(server.url, { method: 'POST', body: '{}' })).status).toBe(200);
    for (const request of server.received)
      expect(Math.abs(signedAtMs(request) - Date.now())).toBeLessThan(TOLERANCE_MS);
  });

  it('an accepted answer whose Date is 10 minutes ahead teaches nothing either', async () => {
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
    expect((await agentFetch(server.url, { method: 'POST', body: 'two' })).status).toBe(200);
    expect(runtime.clockOffsetMs).toBe(0);
    for (const request of server.received)
      expect(Math.abs(signedAtMs(request) - Date.now())).toBeLessThan(TOLERANCE_MS);
  });
});

/**
 * A thread whose task a runtime on the real clock registered, resumed by a second runtime whose
 * clock is 10 minutes behind: it has its cached task and has not called the backend (offset 0).
 */
async function resumedBehind(bed: TestBed) {
  const { thread: original, task } = await bed.taskThread();
  const runtime = bed.runtime({ now: () => Date.now() - TEN_MINUTES_MS });
  const thread = await runtime.resumeThread(original.id);
  await thread.prewarmed;
  expect(thread.task).toEqual(task);
  expect(runtime.clockOffsetMs).toBe(0);
  return { runtime, thread, task };
}

/** Another thread of `runtime` registers a task: the identity backend's `Date` corrects the clock. */
async function correctClockMeanwhile(runtime: ReturnType<TestBed['runtime']>): Promise<void> {
  const other = await runtime.startThread({ ephemeral: true });
  await other.beginTurn();
  expect(runtime.clockOffsetMs).not.toBe(0);
}

describe('a timestamp refusal is retried once when the identity backend corrected the clock meanwhile (SPEC §5)', () => {
  it('signed on a clock 10 minutes behind, refused after a registration corrected it: retried once, accepted', async () => {
    const bed = await TestBed.start({ rolloutStore: 'file' });
    const { runtime, thread, task } = await resumedBehind(bed);
    await using server = await ScriptedServer.start(async (request, response, index) => {
      if (index > 0) {
        echo(request, response);
        return;
      }
      await correctClockMeanwhile(runtime);
      expired(response, Date.now());
    });
    const agentFetch = createAgentFetch(thread, { logger: bed.logger });

    const response = await agentFetch(server.url, { method: 'POST', body: 'on time' });

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('on time');
    expect(server.received).toHaveLength(2);
    const [refused, accepted] = server.received.map(signedAtMs);
    expect(Math.abs((refused ?? 0) - (Date.now() - TEN_MINUTES_MS))).toBeLessThan(TOLERANCE_MS);
    expect(Math.abs((accepted ?? 0) - Date.now())).toBeLessThan(TOLERANCE_MS);
    expect(thread.task).toEqual(task); // the task was never in question
    expect(bed.logger.lines).toContainEqual({
      level: 'info',
      message:
        'agent identity: the downstream service refused the assertion timestamp; retrying once on the corrected clock',
      fields: { threadId: thread.id, refusal: 'expired', taskId: task.taskId },
    });
  });

  it('a resumed thread on a skewed clock refused by the reference backend is not retried: only the identity backend corrects', async () => {
    const bed = await TestBed.start({ rolloutStore: 'file' });
    const { runtime, thread } = await resumedBehind(bed);

    const response = await createAgentFetch(thread)(bed.backend.responsesUrl, responsesRequest('late'));

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'expired' } });
    expect(recoveryErrorOf(response)).toBeUndefined();
    expect(runtime.clockOffsetMs).toBe(0);
    expect(bed.counters().downstream.http).toEqual({ accepted: 0, rejected: { expired: 1 } });
  });

  it('a second timestamp refusal after the retry is returned with REFUSED_AFTER_RETRY: one retry at most', async () => {
    const bed = await TestBed.start({ rolloutStore: 'file' });
    const { runtime, thread } = await resumedBehind(bed);
    await using server = await ScriptedServer.start(async (_request, response, index) => {
      if (index === 0) await correctClockMeanwhile(runtime);
      expired(response, Date.now());
    });

    const response = await createAgentFetch(thread)(server.url, { method: 'POST', body: '{}' });

    expect(response.status).toBe(401);
    expect(recoveryErrorOf(response)?.code).toBe('REFUSED_AFTER_RETRY');
    expect(server.received).toHaveLength(2);
  });
});
