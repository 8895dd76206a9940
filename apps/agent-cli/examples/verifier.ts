import { AgentAssertionSigner, AgentSigningKey } from '@agent-identity/crypto';
import { createAgentVerifier } from '@agent-identity/verifier';

// Server side: where the registered public keys (and optionally the tasks) live is yours to say.
const agent = AgentSigningKey.generate();
const registeredKeys = new Map([['agent-123', agent.sshPublicKey]]);
const verifier = createAgentVerifier({
  keys: { publicKey: (agentRuntimeId) => registeredKeys.get(agentRuntimeId) },
  tasks: { taskStatus: (_agentRuntimeId, taskId) => (taskId === 'task_123' ? 'active' : 'unknown') },
});

const header = new AgentAssertionSigner(agent, { agentRuntimeId: 'agent-123', taskId: 'task_123' }).header(Date.now());
const result = await verifier.verifyAssertion(header);
console.log(result.ok ? result.identity : result.reason); // { agentRuntimeId: 'agent-123', taskId: 'task_123', … }

const stale = new AgentAssertionSigner(agent, { agentRuntimeId: 'agent-123', taskId: 'task_123' }).header(
  Date.now() - 3_600_000,
);
const refused = await verifier.verifyAssertion(stale);
console.log(refused.ok ? 'accepted' : refused.reason); // expired (outside the ±300 s window)
