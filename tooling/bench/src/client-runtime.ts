import { join } from 'node:path';
import {
  createAgentIdentityRuntime,
  FileIdentityStore,
  FileRolloutStore,
  MemoryAuthSource,
  type AgentIdentityEvent,
  type AgentIdentityRuntime,
  type RolloutStore,
  type RuntimeOptions,
} from '@agent-identity/core';
import { BackendProcess } from './backend-process.js';

/** A runtime as an agent app runs it: the file stores in a Codex home folder, logged in as the backend's user. */
export interface ClientRuntime {
  readonly runtime: AgentIdentityRuntime;
  /** The file store (under a wrapper, if one was asked for). */
  readonly rolloutStore: FileRolloutStore;
  readonly identityStore: FileIdentityStore;
  /** Throws if the runtime reported an error event: a figure measured through a failure is no figure. */
  assertNoErrorEvents(): void;
}

/** Options the bench varies; everything else is the runtime's default. */
export interface ClientRuntimeOptions {
  /** The Codex home: `auth.json` and `sessions/` go here. */
  readonly home: string;
  readonly baseUrl: string;
  /** A separate auth file (to start without the identity of an earlier runtime). Default `<home>/auth.json`. */
  readonly authPath?: string;
  /** Runs the runtime on a wrapper of the file rollout store (e.g. the naive one). */
  readonly wrapRolloutStore?: (store: FileRolloutStore) => RolloutStore;
  /** Runtime options the telemetry figures vary: providers, the clock, skew correction. */
  readonly runtime?: Pick<RuntimeOptions, 'telemetry' | 'now' | 'clockSkewCorrection'>;
}

export function clientRuntime(options: ClientRuntimeOptions): ClientRuntime {
  const { accessToken, accountId, userId } = BackendProcess.user;
  const events: AgentIdentityEvent[] = [];
  const rolloutStore = new FileRolloutStore({ home: options.home });
  const identityStore = new FileIdentityStore({ path: options.authPath ?? join(options.home, 'auth.json') });
  const runtime = createAgentIdentityRuntime({
    useAgentIdentity: true,
    baseUrl: options.baseUrl,
    authSource: new MemoryAuthSource({ mode: 'chatgpt', accessToken, accountId, userId }),
    identityStore,
    rolloutStore: options.wrapRolloutStore?.(rolloutStore) ?? rolloutStore,
    onEvent: (event) => events.push(event),
    ...options.runtime,
  });
  return {
    runtime,
    rolloutStore,
    identityStore,
    assertNoErrorEvents: () => {
      const [first] = events;
      if (first !== undefined)
        throw new Error(`the runtime reported ${events.length} error event(s): ${first.message}`);
    },
  };
}
