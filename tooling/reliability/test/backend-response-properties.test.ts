import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createAgentIdentityRuntime,
  FileRolloutStore,
  MemoryAuthSource,
  MemoryIdentityStore,
  MemoryRolloutStore,
  type RuntimeOptions,
} from '@agent-identity/core';
import { AgentSigningKey, sealBox } from '@agent-identity/crypto';
import { AgentIdentityError, encodeBase64, formatSecondsTimestamp } from '@agent-identity/protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CapturingLogger } from '@agent-identity/core/testing';
import { withinDeadline } from './support/deadline.js';
import { PROPERTY_RUNS, PROPERTY_TEST_TIMEOUT_MS } from './support/loop-counts.js';
import { useTempFolder } from './support/temp-folder.js';
import { ScriptedServer, type ScriptedAnswer } from './support/scripted-server.js';
import { LOGIN, USER } from './support/users.js';

// Core's backend client against a real server answering arbitrary statuses, headers and bodies:
// the client either gets what it needs or fails with its typed error (SPEC §3.2–3.5 codes), never
// hangs, and never quotes the access token or the biscuit, even when the server echoes them.

const BISCUIT = 'scripted-biscuit-7c0b9e4d2a6f8135e0d4c2b9a7f61e3d';
const IDENTITY_CODES = [
  'BISCUIT_SEND_FAILED',
  'BISCUIT_MISSING_HEADER',
  'BISCUIT_REJECTED',
  'IDENTITY_REGISTRATION_SEND_FAILED',
  'IDENTITY_RESPONSE_INVALID',
  'IDENTITY_REGISTRATION_REJECTED',
];
const TASK_CODES = [
  'TASK_REGISTRATION_SEND_FAILED',
  'TASK_RESPONSE_INVALID',
  'TASK_REGISTRATION_REJECTED',
  'TASK_ID_NOT_BASE64',
  'TASK_ID_DECRYPT_FAILED',
  'TASK_ID_NOT_UTF8',
];
/** One exchange per call (the retry policy has its own tests), bounded well below the deadline. */
const ONE_ATTEMPT: Partial<RuntimeOptions> = { retry: { maxRetries: 0 }, timeoutMs: 2_000 };
const DEADLINE_MS = 10_000;

const printable = fc.constantFrom(...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)));
const headerValue = fc.string({ unit: printable, maxLength: 40 });
const statuses = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(200, 201, 400, 401, 403, 404, 429, 500, 502, 503) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 200, max: 599 })
      .filter((status) => status !== 204 && status !== 205 && status !== 304),
  },
);
const retryAfter = fc.option(
  fc.oneof(
    fc.nat({ max: 100_000 }).map(String),
    headerValue,
    fc.date({ noInvalidDate: true }).map((date) => date.toUTCString()),
  ),
  { nil: undefined },
);
/** Bodies of every kind, some echoing a secret (which must never reach a message). */
const genericBodies = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc.string({ minLength: 1_030, maxLength: 1_500 }),
  fc
    .tuple(fc.string({ maxLength: 20 }), fc.constantFrom(USER.accessToken, BISCUIT), fc.string({ maxLength: 20 }))
    .map((parts) => parts.join('')),
);

function answer(status: number, body: string, headers: Record<string, string | undefined>): ScriptedAnswer {
  const defined = Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return { status, body, headers: { 'content-type': 'application/json', ...Object.fromEntries(defined) } };
}

/**
 * A typed error with one of `codes`, quoting none of `secrets`: the access token always, and the
 * biscuit once the client holds it (a biscuit call's own error body is the server's to choose).
 */
function expectTyped(error: unknown, codes: readonly string[], secrets: readonly string[]): void {
  if (!AgentIdentityError.isInstance(error)) throw error;
  expect(codes).toContain(error.code);
  for (const secret of secrets) expect(error.message).not.toContain(secret);
}

function expectNotLogged(logger: CapturingLogger, secrets: readonly string[]): void {
  const text = logger.text();
  for (const secret of secrets) expect(text).not.toContain(secret);
}

const home = useTempFolder();
let server: ScriptedServer;
beforeAll(async () => {
  server = await ScriptedServer.start();
});
afterAll(async () => {
  await server.close();
});

describe('the backend client under arbitrary backend answers', () => {
  it(
    'identity registration (biscuit, then register): the identity the backend named, or a typed error',
    async () => {
      const biscuitAnswers = fc.record({
        status: statuses,
        biscuit: fc.option(fc.oneof(fc.constant(BISCUIT), headerValue), { nil: undefined }),
        retryAfter,
        body: genericBodies,
      });
      const registerAnswers = fc.record({
        status: statuses,
        retryAfter,
        body: fc.oneof(
          genericBodies,
          fc
            .record({ agent_runtime_id: fc.oneof(fc.string({ maxLength: 40 }), fc.jsonValue({ maxDepth: 2 })) })
            .map((value) => JSON.stringify(value)),
        ),
      });
      await fc.assert(
        fc.asyncProperty(biscuitAnswers, registerAnswers, async (biscuit, register) => {
          server.answers.biscuit = answer(biscuit.status, biscuit.body, {
            'x-openai-authorization': biscuit.biscuit,
            'retry-after': biscuit.retryAfter,
          });
          server.answers.agentRegister = answer(register.status, register.body, { 'retry-after': register.retryAfter });
          const logger = new CapturingLogger();
          const runtime = createAgentIdentityRuntime({
            useAgentIdentity: true,
            baseUrl: server.baseUrl,
            authSource: new MemoryAuthSource(LOGIN),
            identityStore: new MemoryIdentityStore(),
            rolloutStore: new MemoryRolloutStore(),
            logger,
            ...ONE_ATTEMPT,
          });
          try {
            const identity = await withinDeadline(runtime.ensureIdentity(), DEADLINE_MS, 'ensureIdentity');
            const named = (JSON.parse(register.body) as { agent_runtime_id: unknown }).agent_runtime_id;
            expect(identity?.agentRuntimeId).toBe(named);
          } catch (error) {
            const held =
              biscuit.biscuit === BISCUIT && AgentIdentityError.isInstance(error) && error.code.startsWith('IDENTITY_');
            expectTyped(error, IDENTITY_CODES, held ? [USER.accessToken, BISCUIT] : [USER.accessToken]);
          } finally {
            await runtime.close();
          }
          expectNotLogged(logger, [USER.accessToken]);
        }),
        { numRuns: PROPERTY_RUNS },
      );
    },
    PROPERTY_TEST_TIMEOUT_MS,
  );

  it(
    'task registration: the sealed task id, restored as it was by a later resume, or a typed error',
    async () => {
      const key = AgentSigningKey.generate();
      const record = {
        workspace_id: USER.accountId,
        chatgpt_user_id: USER.userId,
        agent_runtime_id: 'agent-properties',
        agent_private_key: key.toPkcs8Base64(),
        registered_at: formatSecondsTimestamp(Date.now()),
      };
      const sealed = (bytes: Uint8Array) => encodeBase64(sealBox(bytes, key.x25519PublicKey()));
      const encryptedTaskIds = fc.oneof(
        fc.string({ maxLength: 80 }),
        fc.base64String({ maxLength: 120 }),
        fc.uint8Array({ maxLength: 64 }).map(sealed),
        fc
          .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
          .map((taskId) => sealed(new TextEncoder().encode(taskId))),
      );
      const taskAnswers = fc.record({
        status: fc.oneof({ weight: 3, arbitrary: fc.constant(200) }, { weight: 1, arbitrary: statuses }),
        retryAfter,
        body: fc.oneof(
          { weight: 1, arbitrary: genericBodies },
          {
            weight: 3,
            arbitrary: fc.record({ encrypted_task_id: encryptedTaskIds }).map((value) => JSON.stringify(value)),
          },
        ),
      });
      server.answers.biscuit = answer(200, '{}', { 'x-openai-authorization': BISCUIT });
      await fc.assert(
        fc.asyncProperty(taskAnswers, async (task) => {
          server.answers.taskRegister = answer(task.status, task.body, { 'retry-after': task.retryAfter });
          const identityStore = new MemoryIdentityStore();
          await identityStore.save(record);
          const logger = new CapturingLogger();
          const options = {
            useAgentIdentity: true,
            baseUrl: server.baseUrl,
            authSource: new MemoryAuthSource(LOGIN),
            identityStore,
            logger,
            ...ONE_ATTEMPT,
          };
          // a Codex home per run: the store looks a new thread up among the existing ones
          const runHome = await mkdtemp(join(home.path, 'run-'));
          const runtime = createAgentIdentityRuntime({
            ...options,
            rolloutStore: new FileRolloutStore({ home: runHome }),
          });
          const thread = await runtime.startThread();
          try {
            const registered = await withinDeadline(thread.ensureTask(), DEADLINE_MS, 'ensureTask');
            expect(registered).toEqual(thread.task);
            await runtime.close();
            // what was cached was written: a new process resumes the very same task
            const later = createAgentIdentityRuntime({
              ...options,
              rolloutStore: new FileRolloutStore({ home: runHome }),
            });
            expect((await later.resumeThread(thread.id)).task).toEqual(registered);
            await later.close();
          } catch (error) {
            expectTyped(error, TASK_CODES, [USER.accessToken, BISCUIT]);
            expect(thread.task).toBeUndefined();
          } finally {
            await runtime.close();
          }
          expectNotLogged(logger, [USER.accessToken, BISCUIT]);
        }),
        { numRuns: PROPERTY_RUNS },
      );
    },
    PROPERTY_TEST_TIMEOUT_MS,
  );
});
