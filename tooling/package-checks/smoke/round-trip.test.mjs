// The tiny round trip a user does first: an agent key signs an AgentAssertion header and a
// service verifies it with @agent-identity/verifier against its own key registry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AgentPublicKey,
  AgentSigningKey,
  buildAgentAssertion,
  openSealedTaskId,
  sealTaskId,
} from '@agent-identity/crypto';
import { formatSecondsTimestamp } from '@agent-identity/protocol';
import { createAgentVerifier } from '@agent-identity/verifier';

const agentRuntimeId = 'agent-smoke';
const taskId = 'task_smoke';
const agentKey = AgentSigningKey.generate();
const registeredKeys = new Map([[agentRuntimeId, agentKey.sshPublicKey]]);
const verifier = createAgentVerifier({
  keys: { publicKey: (id) => registeredKeys.get(id) },
  tasks: { taskStatus: (id, task) => (id === agentRuntimeId && task === taskId ? 'active' : 'unknown') },
});

function header(key) {
  return buildAgentAssertion(key, { agentRuntimeId, taskId, timestamp: formatSecondsTimestamp(Date.now()) });
}

test('a task id sealed to the agent public key opens with the agent key', () => {
  const sealed = sealTaskId(taskId, AgentPublicKey.fromSsh(agentKey.sshPublicKey));
  assert.equal(openSealedTaskId(agentKey, sealed), taskId);
});

test('an AgentAssertion header signed by the registered key verifies', async () => {
  const result = await verifier.verifyAssertion(header(agentKey));
  assert.equal(result.ok, true, result.message);
  assert.equal(result.identity.agentRuntimeId, agentRuntimeId);
  assert.equal(result.identity.taskId, taskId);
});

test('an AgentAssertion header signed by another key is rejected as bad_signature', async () => {
  const result = await verifier.verifyAssertion(header(AgentSigningKey.generate()));
  assert.equal(result.ok, false);
  assert.equal(result.reason, 'bad_signature');
});
