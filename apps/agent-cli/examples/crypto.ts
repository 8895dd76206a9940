import {
  AgentAssertionSigner,
  AgentPublicKey,
  AgentSigningKey,
  openSealedTaskId,
  sealTaskId,
  signTaskRegistration,
  verifyTaskRegistration,
} from '@agent-identity/crypto';

// The agent: one Ed25519 key, stored as PKCS#8 base64 (v2, as Codex writes it), parsed once.
const agent = AgentSigningKey.fromPkcs8Base64(AgentSigningKey.generate().toPkcs8Base64());
console.log(agent.sshPublicKey); // "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI…": what registration sends

// Task registration: the agent signs "{runtime}:{timestamp}"; the backend checks it, seals a task id.
const signature = signTaskRegistration(agent, 'agent-123', '2026-03-23T12:00:00Z');
const registered = AgentPublicKey.fromSsh(agent.sshPublicKey); // the backend imports the key once
console.log(verifyTaskRegistration(registered, 'agent-123', '2026-03-23T12:00:00Z', signature)); // true
const taskId = openSealedTaskId(agent, sealTaskId('task_123', registered)); // only the agent can open it

// Every downstream request: a fresh header (memoized per second).
const signer = new AgentAssertionSigner(agent, { agentRuntimeId: 'agent-123', taskId });
console.log(signer.header(Date.now())); // "AgentAssertion eyJhZ2VudF9ydW50aW1lX2lkIjoi…"
