import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import {
  AuthFileLoginSource,
  FileIdentityStore,
  MemoryIdentityStore,
  type AgentIdentityRuntime,
  type AgentThread,
  type TurnAuth,
} from '@agent-identity/core';
import { decodePkcs8, encodePkcs8V1 } from '@agent-identity/crypto';
import { decodeBase64, encodeBase64 } from '@agent-identity/protocol';
import { describe, expect, it } from 'vitest';
import { OTHER_SOFTWARES_KEYS } from './support/codex-auth-file.js';
import { FileRuntimeBed } from './support/file-runtime-bed.js';
import { SpyFetch } from './support/spy-fetch.js';

/** Every PKCS#8 Ed25519 key in base64 (v1 or v2) contains this: the algorithm identifier. */
const PKCS8_ED25519_MARKER = 'BQYDK2VwBCIEI';

/** Everything a user or an operator could see: every message, field, event and error, fully expanded. */
class Exposure {
  readonly #texts: string[] = [];

  /** An error with its whole cause chain, as a log line or a crash report would show it. */
  error(error: unknown): void {
    this.#texts.push(inspect(error, { depth: null }));
    for (let current: unknown = error; current instanceof Error; current = current.cause) {
      this.#texts.push(current.message, String(current.stack));
    }
  }

  value(value: unknown): void {
    this.#texts.push(inspect(value, { depth: null }), String(value));
    // JSON.stringify gives undefined for undefined, whatever its declared type says
    const json: unknown = JSON.stringify(value);
    if (typeof json === 'string') this.#texts.push(json);
  }

  text(bed: FileRuntimeBed): string {
    for (const event of bed.events) {
      this.value(event);
      this.error(event.cause);
    }
    return [bed.logger.text(), ...this.#texts].join('\n');
  }
}

/** A turn that must get a task; its auth shown as a host app might log it. */
async function assertedTurn(thread: AgentThread, exposure: Exposure): Promise<TurnAuth> {
  const turn = await thread.beginTurn();
  if (!turn.ok) throw new Error(`the turn failed: ${turn.event.message}`);
  exposure.value(turn.auth);
  return turn.auth;
}

describe('secrets (CONTRIBUTING: never in logs, events, errors, toJSON or inspect)', () => {
  it('a whole flow — identity, two threads, turns, a revoked task recovered, faults — exposes no key, token, biscuit or assertion', async () => {
    const spy = new SpyFetch();
    await FileRuntimeBed.run({}, async (bed) => {
      const authPath = join(bed.home, 'auth.json');
      await writeFile(authPath, JSON.stringify(OTHER_SOFTWARES_KEYS, null, 2), { mode: 0o600 });
      const exposure = new Exposure();
      const assertions: string[] = [];
      const runtime: AgentIdentityRuntime = bed.runtime({
        fetch: spy.fetch,
        authSource: new AuthFileLoginSource({ path: authPath }),
        identityStore: new FileIdentityStore({ path: authPath }),
      });
      const downstream = async (auth: TurnAuth): Promise<number> => {
        const headers = auth.headers();
        if (headers.authorization !== undefined) assertions.push(headers.authorization);
        return bed.downstreamStatus(headers);
      };

      // identity registration and two prewarmed threads
      const first = await runtime.startThread();
      const second = await runtime.startThread();
      await Promise.all([first.prewarmed, second.prewarmed]);
      exposure.value(await runtime.currentIdentity());
      exposure.value([first, second]);

      // turns with assertions, accepted downstream
      expect(await downstream(await assertedTurn(first, exposure))).toBe(200);
      expect(await downstream(await assertedTurn(second, exposure))).toBe(200);

      // the backend revokes the first thread's task: invalidate, register anew, accepted again
      const revoked = first.task;
      if (revoked === undefined) throw new Error('no task to revoke');
      await bed.backend.admin.revokeTask(revoked.taskId);
      expect(await downstream(await assertedTurn(first, exposure))).toBe(401);
      expect(await first.invalidateTask(revoked)).toBe(true);
      expect(await downstream(await assertedTurn(first, exposure))).toBe(200);

      // a fault ridden out (500 whose body echoes the access token), then one that ends a turn
      bed.backend.admin.injectFault('task_register', {
        kind: 'status',
        status: 500,
        body: `token ${OTHER_SOFTWARES_KEYS.tokens.access_token} refused`,
      });
      const stale = second.task;
      if (stale === undefined) throw new Error('no task on the second thread');
      await second.invalidateTask(stale);
      expect(await downstream(await assertedTurn(second, exposure))).toBe(200);
      await second.invalidateTask(second.task ?? stale);
      bed.backend.admin.injectFault('biscuit', { kind: 'garbage' }, { times: 10 });
      const failed = await second.beginTurn();
      expect(failed.ok).toBe(false);
      bed.backend.admin.clearFaults();

      // an identity registration that fails (another process, an empty store), its error inspected
      bed.backend.admin.injectFault(
        'agent_register',
        { kind: 'status', status: 503, body: 'try later' },
        { times: 10 },
      );
      const other = bed.runtime({
        fetch: spy.fetch,
        identityStore: new MemoryIdentityStore(),
        retry: { maxRetries: 0 },
      });
      await other.ensureIdentity().then(
        () => {
          throw new Error('the identity registration did not fail');
        },
        (error: unknown) => {
          exposure.error(error);
        },
      );
      await (
        await other.startThread()
      ).prewarmed;
      bed.backend.admin.clearFaults();

      const record = await new FileIdentityStore({ path: authPath }).load();
      if (record === undefined) throw new Error('no identity was stored');
      const der = decodeBase64(record.agent_private_key);
      if (der === undefined) throw new Error('the stored key is not base64');
      const { seed } = decodePkcs8(der);
      const secrets = {
        'private key (PKCS#8 v2, as stored)': record.agent_private_key,
        'private key (PKCS#8 v1)': encodeBase64(encodePkcs8V1(seed)),
        'any PKCS#8 Ed25519 key': PKCS8_ED25519_MARKER,
        'seed (hex)': Buffer.from(seed).toString('hex'),
        'seed (base64)': Buffer.from(seed).toString('base64'),
        'seed (base64url)': Buffer.from(seed).toString('base64url'),
        'access token': OTHER_SOFTWARES_KEYS.tokens.access_token,
        'refresh token': OTHER_SOFTWARES_KEYS.tokens.refresh_token,
        'ID token': OTHER_SOFTWARES_KEYS.tokens.id_token,
        ...Object.fromEntries(spy.biscuits.map((biscuit, i) => [`biscuit ${i + 1}`, biscuit])),
        ...Object.fromEntries(
          assertions.map((assertion, i) => [`assertion ${i + 1}`, assertion.slice('AgentAssertion '.length)]),
        ),
      };

      // the flow did what it is named for, so that the search below means something
      expect(spy.biscuits.length).toBeGreaterThanOrEqual(6);
      expect(assertions.length).toBe(5);
      expect(bed.events.map((event) => event.code)).toEqual([
        'TASK_REGISTRATION_FAILED',
        'IDENTITY_REGISTRATION_FAILED',
      ]);
      expect(bed.logger.lines.length).toBeGreaterThan(0);

      const seen = exposure.text(bed);
      for (const [name, secret] of Object.entries(secrets)) {
        expect(seen.includes(secret), `${name} was exposed`).toBe(false);
      }
    });
  });
});
