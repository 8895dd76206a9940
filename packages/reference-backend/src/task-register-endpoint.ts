import { redeemBiscuit } from './biscuit-redemption.js';
import type { HttpExchange } from './http-exchange.js';
import { registerTask } from './task-registration.js';

/**
 * `POST …/v1/agent/{id}/task/register` (SPEC §3.4–3.5): a biscuit for this call, an agent of the
 * biscuit's user; answers `{"encrypted_task_id"}`.
 */
export async function handleTaskRegister(exchange: HttpExchange): Promise<void> {
  const caller = await redeemBiscuit(exchange);
  await registerTask(exchange, { caller, profile: 'codex-0.122', answer: 'sealed' });
}
