import { inspect } from 'node:util';
import {
  startReferenceBackend,
  type BackendCounters,
  type ReferenceBackend,
  type ReferenceBackendOptions,
} from '@agent-identity/reference-backend';
import { expect } from 'vitest';
import type { AuthSource } from '../../src/stores/auth-source.js';
import type { AgentIdentityEvent } from '../../src/runtime/events.js';
import type { IdentityStore } from '../../src/stores/identity-store.js';
import type { Login } from '../../src/stores/login.js';
import { MemoryAuthSource } from '../../src/stores/memory-auth-source.js';
import { MemoryIdentityStore } from '../../src/stores/memory-identity-store.js';
import { MemoryRolloutStore } from '../../src/stores/memory-rollout-store.js';
import type { RuntimeOptions } from '../../src/runtime/options.js';
import type { RolloutStore } from '../../src/stores/rollout-store.js';
import { AgentIdentityRuntime } from '../../src/runtime/runtime.js';
import { CapturingLogger } from '../../src/testing/capturing-logger.js';
import { RecordingFetch } from './recording-fetch.js';
import { ALICE, loginOf, USERS } from './users.js';

/** Every PKCS#8 Ed25519 key's base64 (v1 or v2) contains this: the algorithm identifier. */
const PKCS8_ED25519_MARKER = 'BQYDK2VwBCIEI';

/** Retries fast in tests (the policy's shape is the same, only the delays are tiny). */
export const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 20 };

export interface HarnessOptions {
  /** Default: Alice's ChatGPT login. `null`: nobody logged in. */
  readonly login?: Login | null;
  readonly authSource?: AuthSource;
  readonly identityStore?: IdentityStore;
  readonly rolloutStore?: RolloutStore;
  readonly backend?: ReferenceBackendOptions;
  /** Overrides of the runtime options (flag on by default). */
  readonly runtime?: Partial<RuntimeOptions>;
}

/** A real reference backend, memory stores (unless given), and a runtime wired to record everything. */
export class Harness {
  readonly logger = new CapturingLogger();
  readonly recording = new RecordingFetch();
  readonly events: AgentIdentityEvent[] = [];
  readonly runtimes: AgentIdentityRuntime[] = [];
  readonly rolloutStore: RolloutStore;
  readonly identityStore: IdentityStore;
  readonly authSource: AuthSource;

  private constructor(
    readonly backend: ReferenceBackend,
    readonly options: HarnessOptions,
  ) {
    this.authSource =
      options.authSource ??
      new MemoryAuthSource(options.login === null ? undefined : (options.login ?? loginOf(ALICE)));
    this.identityStore = options.identityStore ?? new MemoryIdentityStore();
    this.rolloutStore = options.rolloutStore ?? new MemoryRolloutStore();
  }

  static async start(options: HarnessOptions = {}): Promise<Harness> {
    const backend = await startReferenceBackend({ users: USERS, ...options.backend });
    const harness = new Harness(backend, options);
    harnesses.push(harness);
    return harness;
  }

  /** A runtime on this harness's stores (a second one models a second process on the same stores). */
  runtime(overrides: Partial<RuntimeOptions> = {}): AgentIdentityRuntime {
    const runtime = new AgentIdentityRuntime({
      useAgentIdentity: true,
      baseUrl: this.backend.baseUrl,
      authSource: this.authSource,
      identityStore: this.identityStore,
      rolloutStore: this.rolloutStore,
      fetch: this.recording.fetch,
      logger: this.logger,
      onEvent: (event) => this.events.push(event),
      retry: FAST_RETRY,
      ...this.options.runtime,
      ...overrides,
    });
    this.runtimes.push(runtime);
    return runtime;
  }

  /** Logs in (or out, with `undefined`) on the harness's memory auth source. */
  setLogin(login: Login | undefined): void {
    if (!(this.authSource instanceof MemoryAuthSource)) throw new Error('the harness has no memory auth source');
    this.authSource.set(login);
  }

  counters(): BackendCounters {
    return this.backend.admin.counters();
  }

  /** The leak check every test ends with: no token, biscuit or private key in logs or events. */
  async expectNoSecretsLeaked(): Promise<void> {
    const stored = await this.identityStore.load().catch(() => undefined);
    const secrets = [
      ...USERS.map((user) => user.accessToken),
      ...this.recording.biscuits,
      PKCS8_ED25519_MARKER,
      ...(stored === undefined ? [] : [stored.agent_private_key]),
    ];
    const seen = [this.logger.text(), inspect(this.events, { depth: null }), JSON.stringify(this.events)].join('\n');
    for (const secret of secrets) expect(seen).not.toContain(secret);
  }

  async close(): Promise<void> {
    await Promise.all(this.runtimes.map((runtime) => runtime.close()));
    await this.backend.close();
  }
}

const harnesses: Harness[] = [];

/** For `afterEach`: checks for leaks, then closes every harness started by the test. */
export async function closeHarnesses(): Promise<void> {
  const started = harnesses.splice(0);
  try {
    for (const harness of started) await harness.expectNoSecretsLeaked();
  } finally {
    await Promise.all(started.map((harness) => harness.close()));
  }
}
