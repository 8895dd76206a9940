import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AuthFileLoginSource,
  CoreError,
  createAgentIdentityRuntime,
  FileIdentityStore,
  MemoryRolloutStore,
} from '@agent-identity/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identityRecord, OTHER_SOFTWARES_KEYS } from './support/codex-auth-file.js';
import { withinDeadline } from './support/deadline.js';
import { PROPERTY_RUNS, PROPERTY_TEST_TIMEOUT_MS } from './support/loop-counts.js';
import { useTempFolder } from './support/temp-folder.js';

// The auth file as the file stores read it (SPEC §2.2, §2.3), whatever another program left in it:
// the identity store and the login source answer or fail with AUTH_FILE_CORRUPT, never anything
// else; the runtime's identity check (SPEC §4.2) never throws; and a rewrite of our slot keeps
// every other key of any document it could read.

const validRecord = identityRecord('agent-properties');
const jwtPart = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.jsonValue({ maxDepth: 2 }).map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
);
const idTokens = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.tuple(jwtPart, jwtPart, jwtPart).map((parts) => parts.join('.')),
  fc.constant(OTHER_SOFTWARES_KEYS.tokens.id_token),
);
const tokens = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.record(
    {
      id_token: fc.oneof(idTokens, fc.jsonValue({ maxDepth: 1 })),
      access_token: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 1 })),
      account_id: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 1 })),
    },
    { requiredKeys: [] },
  ),
);
const slots = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant(validRecord),
  fc.record(
    {
      workspace_id: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 1 })),
      chatgpt_user_id: fc.oneof(fc.string(), fc.constant(null), fc.jsonValue({ maxDepth: 1 })),
      agent_runtime_id: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 1 })),
      agent_private_key: fc.oneof(fc.string(), fc.base64String(), fc.constant(validRecord.agent_private_key)),
      registered_at: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 1 })),
    },
    { requiredKeys: [] },
  ),
);
const documents = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc
    .record(
      {
        OPENAI_API_KEY: fc.oneof(fc.constant(null), fc.string(), fc.jsonValue({ maxDepth: 1 })),
        tokens,
        agent_identity: slots,
        other: fc.jsonValue({ maxDepth: 2 }),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value, null, 2)),
);

/** What a file store call gave: its value, or the code of the CoreError it threw (anything else fails). */
async function outcome<T>(call: Promise<T>): Promise<{ value: T } | { code: string }> {
  try {
    return { value: await withinDeadline(call, 5_000, 'reading the auth file') };
  } catch (error) {
    if (!CoreError.isInstance(error)) throw error;
    return { code: error.code };
  }
}

const folder = useTempFolder();

describe('the auth file under arbitrary content', () => {
  it(
    'is read or refused as AUTH_FILE_CORRUPT; the identity check never throws; a rewrite keeps every other key',
    async () => {
      // One store and one login source, as in a long-lived process; each run's document replaces the
      // file by rename, as Codex writes it.
      const path = join(folder.path, 'auth.json');
      const identityStore = new FileIdentityStore({ path });
      const authSource = new AuthFileLoginSource({ path });
      await fc.assert(
        fc.asyncProperty(documents, async (text) => {
          const incoming = join(folder.path, 'incoming.json');
          await writeFile(incoming, text, { mode: 0o600 });
          await rename(incoming, path);

          const loaded = await outcome(identityStore.load());
          const login = await outcome(authSource.currentLogin());
          for (const each of [loaded, login]) if ('code' in each) expect(each.code).toBe('AUTH_FILE_CORRUPT');

          const runtime = createAgentIdentityRuntime({
            useAgentIdentity: true,
            authSource,
            identityStore,
            rolloutStore: new MemoryRolloutStore(),
          });
          const matches = await withinDeadline(
            runtime.taskMatchesCurrentIdentity({
              agentRuntimeId: validRecord.agent_runtime_id,
              taskId: 't',
              registeredAt: 'x',
            }),
            5_000,
            'taskMatchesCurrentIdentity',
          );
          expect(typeof matches).toBe('boolean');
          await runtime.close();

          if ('value' in loaded) {
            await identityStore.save(validRecord);
            const { agent_identity: saved, ...others } = JSON.parse(await readFile(path, 'utf8')) as Record<
              string,
              unknown
            >;
            const { agent_identity: _, ...before } = JSON.parse(text) as Record<string, unknown>;
            expect(saved).toEqual(validRecord);
            expect(others).toEqual(before);
          }
        }),
        { numRuns: PROPERTY_RUNS * 3 },
      );
    },
    PROPERTY_TEST_TIMEOUT_MS,
  );
});
