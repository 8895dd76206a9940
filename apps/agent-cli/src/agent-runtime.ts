import type { TelemetryOptions } from '@agent-identity/protocol';
import {
  AuthFileLoginSource,
  createAgentIdentityRuntime,
  FileIdentityStore,
  FileRolloutStore,
  type AgentIdentityEventSink,
  type AgentIdentityRuntime,
  type Logger,
  type ProtocolProfileName,
} from '@agent-identity/core';
import { authFilePath } from './codex-home.js';
import { RegistrationCounter } from './registration-counter.js';

/** What the agent runtime of this CLI is built from. */
export interface AgentRuntimeSettings {
  /** The Codex home: `auth.json` (login + agent identity) and `sessions/` (rollouts). */
  readonly home: string;
  /** The backend base URL (SPEC §1). */
  readonly baseUrl: string;
  /** The protocol profile (README of core: *Protocol profiles*). */
  readonly profile: ProtocolProfileName;
  /** The AuthAPI base of the `codex-current` profile. */
  readonly authApiUrl: string;
  /** `features.use_agent_identity`. */
  readonly useAgentIdentity: boolean;
  readonly logger: Logger;
  /** The SPEC's two error events (identity registration failed, task registration failed). */
  readonly onEvent: AgentIdentityEventSink;
  /** Where the runtime's spans and metrics go (`--trace`). Default: nowhere. */
  readonly telemetry?: TelemetryOptions | undefined;
}

/** The runtime and the stores it runs on, for commands that also read the stores directly. */
export interface AgentRuntime {
  readonly runtime: AgentIdentityRuntime;
  readonly authFile: string;
  readonly authSource: AuthFileLoginSource;
  readonly identityStore: FileIdentityStore;
  readonly rollouts: FileRolloutStore;
  /** Registrations this process made. */
  readonly registrations: RegistrationCounter;
}

/**
 * The whole assembly: a Codex home wired into the agent-identity runtime. The login is read from
 * `auth.json`'s `tokens`, the identity is kept in the same file (as the record every Codex reads),
 * and each thread's task is recorded in its rollout under `sessions/` — exactly where Codex 0.122
 * keeps them; with the `codex-current` profile the identity's one task is kept in its record.
 */
export function assembleAgentRuntime(settings: AgentRuntimeSettings): AgentRuntime {
  const authFile = authFilePath(settings.home);
  const authSource = new AuthFileLoginSource({ path: authFile, logger: settings.logger });
  const identityStore = new FileIdentityStore({ path: authFile, logger: settings.logger });
  const rollouts = new FileRolloutStore({ home: settings.home, logger: settings.logger });
  const registrations = new RegistrationCounter();

  const runtime = createAgentIdentityRuntime({
    useAgentIdentity: settings.useAgentIdentity,
    baseUrl: settings.baseUrl,
    profile: settings.profile,
    authApiUrl: settings.authApiUrl,
    authSource,
    identityStore,
    rolloutStore: rollouts,
    abom: { harnessId: 'agent-cli', sessionSource: 'cli' },
    fetch: registrations.countingFetch((input, init) => fetch(input, init)),
    logger: settings.logger,
    onEvent: settings.onEvent,
    telemetry: settings.telemetry,
  });

  return { runtime, authFile, authSource, identityStore, rollouts, registrations };
}
