import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  AuthFileLoginSource,
  createAgentIdentityRuntime,
  FileIdentityStore,
  FileRolloutStore,
} from '@agent-identity/core';

// A Codex home: the login and the agent identity in auth.json, the threads' rollouts in sessions/.
export const codexHome = process.env.CODEX_HOME ?? join(homedir(), '.codex');
export const baseUrl = process.env.AGENT_IDENTITY_BASE_URL ?? 'https://chatgpt.com/backend-api/';
const authFile = join(codexHome, 'auth.json');

export const runtime = createAgentIdentityRuntime({
  useAgentIdentity: true, // off by default: then every entry point returns "nothing", zero HTTP
  baseUrl,
  authSource: new AuthFileLoginSource({ path: authFile }), // reads auth.json's "tokens"
  identityStore: new FileIdentityStore({ path: authFile }), // the "agent_identity" slot, 0600, locked
  rolloutStore: new FileRolloutStore({ home: codexHome }), // sessions/YYYY/MM/DD/rollout-….jsonl
  abom: { harnessId: 'my-agent', sessionSource: 'cli' },
  onEvent: (event) => {
    console.error(event.message);
  }, // the SPEC's two error events
});
