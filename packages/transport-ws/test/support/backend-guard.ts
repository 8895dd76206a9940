import type { BackendUser, ReferenceBackend } from '@agent-identity/reference-backend';
import { USERS } from '@agent-identity/test-bed';
import { createAgentVerifier } from '@agent-identity/verifier';
import { GuardServer } from './guard-server.js';

/**
 * A guard server of the test's own that trusts what the reference backend registered: a real
 * verifier over the backend's agents and tasks, and bearer auth for the backend's users. The
 * runtime registers at the backend; its sockets go here, where every handshake is recorded.
 * `verifierNow`: the clock the verifier checks timestamps on (default the real one); the guard's
 * `Date` headers stay real.
 */
export function startBackendGuard(
  backend: ReferenceBackend,
  verifierNow: () => number = Date.now,
): Promise<GuardServer<BackendUser>> {
  const verifier = createAgentVerifier({
    now: verifierNow,
    keys: {
      publicKey: async (id) =>
        (await backend.admin.agents()).find((agent) => agent.agentRuntimeId === id && agent.revokedAt === null)
          ?.publicKey,
    },
    tasks: {
      taskStatus: async (id, taskId) => {
        const task = (await backend.admin.tasks()).find(
          (candidate) => candidate.taskId === taskId && candidate.agentRuntimeId === id,
        );
        if (task === undefined) return 'unknown';
        return task.revokedAt === null ? 'active' : 'revoked';
      },
    },
  });
  return GuardServer.start<BackendUser>({
    verifier,
    authenticateBearer: (token) => USERS.find((user) => user.accessToken === token),
  });
}
