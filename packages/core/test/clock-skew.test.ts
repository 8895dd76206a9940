import { decodeAgentAssertionHeader, isSessionStateLine, type RegisterTaskRequest } from '@agent-identity/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryRolloutStore } from '../src/stores/memory-rollout-store.js';
import type { TurnStart } from '../src/thread/thread.js';
import { closeHarnesses, Harness } from './support/harness.js';

afterEach(closeHarnesses);

// The reference backend runs on the real clock (its `Date` headers are Node's, always real time);
// the runtime is given a local clock that is off by a known amount.
const TEN_MINUTES_MS = 10 * 60_000;
/** How close a corrected time must be to the real one: the Date header's second plus a round trip. */
const TOLERANCE_MS = 3_000;

const CORRECTION_INFO = "agent identity: the local clock is off the backend's; signing with the backend's time";
const RETRY_INFO = 'agent identity: the task registration timestamp was refused; retrying on the corrected clock';

const skews = [
  { name: '10 minutes behind', localSkewMs: -TEN_MINUTES_MS, refusal: 'expired' },
  { name: '10 minutes ahead', localSkewMs: TEN_MINUTES_MS, refusal: 'from_future' },
] as const;

function localClock(skewMs: number): () => number {
  return () => Date.now() + skewMs;
}

function turnAuth(turn: TurnStart) {
  if (!turn.ok) throw new Error(turn.event.message);
  return turn.auth;
}

/** The epoch ms of each signed task-registration timestamp the runtime sent. */
function signedTimestamps(harness: Harness): number[] {
  return harness.recording
    .callsTo('/task/register')
    .map((call) => Date.parse((JSON.parse(call.body ?? '{}') as RegisterTaskRequest).timestamp));
}

function expectNearNow(epochMs: number | undefined, offsetMs = 0): void {
  expect(Math.abs((epochMs ?? Number.NaN) - (Date.now() + offsetMs))).toBeLessThan(TOLERANCE_MS);
}

async function downstreamStatus(harness: Harness, authorization: string): Promise<number> {
  const response = await fetch(harness.backend.responsesUrl, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'test', input: 'hello', stream: true }),
  });
  await response.text();
  return response.status;
}

describe('a local clock far off the backend (beyond Codex: clock skew correction)', () => {
  it.each(skews)(
    '$name: the first turn succeeds, signed on the backend time; the offset is exposed',
    async ({ localSkewMs }) => {
      const harness = await Harness.start();
      const runtime = harness.runtime({ now: localClock(localSkewMs) });
      const thread = await runtime.startThread();
      const auth = turnAuth(await thread.beginTurn());

      expect(Math.abs(runtime.clockOffsetMs + localSkewMs)).toBeLessThan(TOLERANCE_MS);
      // the first biscuit's Date taught the offset before anything was signed: no refused call
      expect(signedTimestamps(harness)).toHaveLength(1);
      expectNearNow(signedTimestamps(harness)[0]);
      expect(harness.logger.at('info').filter((line) => line.message === CORRECTION_INFO)).toHaveLength(1);
      expect(harness.events).toEqual([]);

      // assertions built afterwards carry the backend time, and are accepted downstream
      const header = auth.authorizationHeader() ?? '';
      expectNearNow(Date.parse(decodeAgentAssertionHeader(header).timestamp));
      expect((await harness.backend.admin.verify(header)).ok).toBe(true);
      expect(await downstreamStatus(harness, header)).toBe(200);
      expect(await downstreamStatus(harness, (await thread.authorizationHeader()) ?? '')).toBe(200);

      // registered_at records the backend's time; rollout line times stay on the local clock
      expectNearNow(Date.parse(auth.task?.registeredAt ?? ''));
      expectNearNow(Date.parse((await harness.identityStore.load())?.registered_at ?? ''));
      const line =
        harness.rolloutStore instanceof MemoryRolloutStore
          ? harness.rolloutStore.lines(thread.id).find(isSessionStateLine)
          : undefined;
      expectNearNow(Date.parse(line?.timestamp ?? ''), localSkewMs);
    },
  );

  it.each(skews)(
    '$name, no Date on the biscuit: the registration refused ($refusal) is retried once on the corrected clock',
    async ({ localSkewMs, refusal }) => {
      const harness = await Harness.start();
      const identity = await harness.runtime().ensureIdentity(); // registered earlier, on a good clock
      harness.recording.rewriteHeaders = (call, headers) => {
        if (call.url.endsWith('/authenticate_app_v2')) headers.delete('date');
      };
      const runtime = harness.runtime({ now: localClock(localSkewMs) });
      const auth = turnAuth(await (await runtime.startThread()).beginTurn());

      const [refused, accepted] = signedTimestamps(harness);
      expectNearNow(refused, localSkewMs);
      expectNearNow(accepted);
      expect(signedTimestamps(harness)).toHaveLength(2);
      expect(harness.counters().taskRegistrations).toBe(1);
      expect(harness.logger.at('info')).toContainEqual({
        level: 'info',
        message: RETRY_INFO,
        fields: { agentRuntimeId: identity?.agentRuntimeId, offsetMs: expect.any(Number) as unknown, reason: refusal },
      });
      expect((await harness.backend.admin.verify(auth.authorizationHeader() ?? '')).ok).toBe(true);
      expect(harness.events).toEqual([]);
    },
  );

  it('clockSkewCorrection: false signs with the local clock: every registration is refused, no retry', async () => {
    const harness = await Harness.start();
    const runtime = harness.runtime({ now: localClock(-TEN_MINUTES_MS), clockSkewCorrection: false });
    const thread = await runtime.startThread();
    await thread.prewarmed;
    const turn = await thread.beginTurn();
    expect(!turn.ok && turn.event.message).toContain('agent task registration failed with status 401');
    expect(!turn.ok && turn.event.message).toContain('"code":"expired"');
    expect(runtime.clockOffsetMs).toBe(0);
    expect(signedTimestamps(harness)).toHaveLength(2); // prewarm and the turn, once each
  });

  it('a time-window refusal whose answer shows no skew is not retried', async () => {
    const harness = await Harness.start();
    const runtime = harness.runtime();
    const thread = await runtime.startThread();
    await thread.prewarmed;
    if (thread.task !== undefined) await thread.invalidateTask(thread.task);
    const expired = { error: { code: 'expired', message: 'timestamp is 400 s old' } };
    harness.backend.admin.injectFault('task_register', { kind: 'status', status: 401, body: expired });

    const turn = await thread.beginTurn();
    expect(!turn.ok && turn.event.code).toBe('TASK_REGISTRATION_FAILED');
    expect(signedTimestamps(harness)).toHaveLength(2); // prewarm, then the refused one alone
    expect(runtime.clockOffsetMs).toBe(0);
  });

  it('a small skew (10 s, under the 30 s threshold) is not corrected', async () => {
    const harness = await Harness.start();
    const runtime = harness.runtime({ now: localClock(-10_000) });
    const auth = turnAuth(await (await runtime.startThread()).beginTurn());
    expect(runtime.clockOffsetMs).toBe(0);
    expectNearNow(signedTimestamps(harness)[0], -10_000);
    expect(harness.logger.at('info').map((line) => line.message)).not.toContain(CORRECTION_INFO);
    expect((await harness.backend.admin.verify(auth.authorizationHeader() ?? '')).ok).toBe(true);
  });

  it.each([
    { name: '23 h ahead', date: () => new Date(Date.now() + 23 * 60 * 60_000).toUTCString() },
    { name: '16 min ahead', date: () => new Date(Date.now() + 16 * 60_000).toUTCString() },
    { name: 'in the year 2000', date: () => 'Sat, 01 Jan 2000 00:00:00 GMT' },
  ])('a backend Date header beyond the 15 min bound ($name) is ignored', async ({ date }) => {
    const harness = await Harness.start();
    harness.recording.rewriteHeaders = (_call, headers) => {
      headers.set('date', date());
    };
    const runtime = harness.runtime();
    const auth = turnAuth(await (await runtime.startThread()).beginTurn());
    expect(runtime.clockOffsetMs).toBe(0);
    expectNearNow(signedTimestamps(harness)[0]);
    expect((await harness.backend.admin.verify(auth.authorizationHeader() ?? '')).ok).toBe(true);
    expect(harness.logger.at('warn').map((line) => line.message)).toEqual([
      'agent identity: ignoring a backend Date header more than 15 min off the local clock',
    ]);
  });

  it('a Retry-After date is read on the backend clock', async () => {
    const harness = await Harness.start();
    const runtime = harness.runtime({ now: localClock(-TEN_MINUTES_MS), retry: { maxDelayMs: 5_000 } });
    await runtime.ensureIdentity();
    harness.backend.admin.injectFault('task_register', { kind: 'status', status: 503, retryAfterSeconds: 1 });
    harness.recording.rewriteHeaders = (_call, headers) => {
      const date = headers.get('date');
      // "retry one second after my now": 10 min + 1 s away on the uncorrected local clock
      if (headers.has('retry-after') && date !== null)
        headers.set('retry-after', new Date(Date.parse(date) + 1_000).toUTCString());
    };
    const thread = await runtime.startThread();
    await thread.prewarmed;
    expect(thread.task).toBeDefined();
    expect(signedTimestamps(harness)).toHaveLength(2);
  });
});

describe('clock skew seen downstream: the signing clock learns only from the identity backend (SPEC §5, security rules)', () => {
  it('a resumed thread refused downstream (expired) keeps its clock: the refusal’s Date moves nothing', async () => {
    const harness = await Harness.start();
    const first = await harness.runtime().startThread();
    await first.prewarmed;
    const runtime = harness.runtime({ now: localClock(-TEN_MINUTES_MS) });
    const thread = await runtime.resumeThread(first.id);
    await thread.prewarmed;
    const auth = turnAuth(await thread.beginTurn());

    const request = thread.downstreamRequest(auth);
    expect(await downstreamStatus(harness, request.headers().authorization ?? '')).toBe(401);
    expect(await request.afterRefusal('expired')).toMatchObject({ retry: false, because: 'clock_not_corrected' });
    expect(runtime.clockOffsetMs).toBe(0);
    expect(harness.counters().downstream.http).toEqual({ accepted: 0, rejected: { expired: 1 } });
  });

  it('a timestamp refusal of headers signed before an identity backend answer corrected the clock is retried once', async () => {
    const harness = await Harness.start();
    const first = await harness.runtime().startThread();
    await first.prewarmed;
    const runtime = harness.runtime({ now: localClock(-TEN_MINUTES_MS) });
    const thread = await runtime.resumeThread(first.id);
    await thread.prewarmed;
    const request = thread.downstreamRequest(turnAuth(await thread.beginTurn()));
    expect(await downstreamStatus(harness, request.headers().authorization ?? '')).toBe(401);
    // another thread of the runtime registers: the identity backend's Date corrects the clock
    turnAuth(await (await runtime.startThread({ ephemeral: true })).beginTurn());
    expect(Math.abs(runtime.clockOffsetMs - TEN_MINUTES_MS)).toBeLessThan(TOLERANCE_MS);

    expect(await request.afterRefusal('expired')).toMatchObject({ retry: true, remedy: 'correct_clock' });
    expect(await downstreamStatus(harness, request.headers().authorization ?? '')).toBe(200);
    expect(await request.afterRefusal('expired')).toMatchObject({ retry: false, because: 'already_recovered' });
  });
});
