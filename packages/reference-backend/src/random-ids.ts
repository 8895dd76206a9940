/** Ids this backend mints: a kind prefix and 16 random bytes in hex. */
export type RandomBytes = (n: number) => Uint8Array;

function randomHex(randomBytes: RandomBytes): string {
  return Buffer.from(randomBytes(16)).toString('hex');
}

/** `agent-<32 hex>`, shaped like the runtime ids Codex stores (`agent-…`). */
export function newAgentRuntimeId(randomBytes: RandomBytes): string {
  return `agent-${randomHex(randomBytes)}`;
}

/** `task_<32 hex>`, shaped like the task ids in Codex rollouts (`task_…`). */
export function newTaskId(randomBytes: RandomBytes): string {
  return `task_${randomHex(randomBytes)}`;
}

export function newResponseIds(randomBytes: RandomBytes): { responseId: string; itemId: string } {
  return { responseId: `resp_${randomHex(randomBytes)}`, itemId: `msg_${randomHex(randomBytes)}` };
}
