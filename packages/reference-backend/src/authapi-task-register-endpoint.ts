import type { HttpExchange } from './http-exchange.js';
import { registerTask } from './task-registration.js';

/**
 * `POST {authapi}/v1/agent/{id}/task/register` (CODEX-CURRENT.md, the current profile): no
 * `Authorization` at all, the signature over `"{id}:{timestamp}"` is the proof; answers
 * `{"task_id"}`, or `{"encrypted_task_id"}` when the backend is switched to sealed answers
 * (`taskIdAnswer`), so clients can be tested against both forms.
 */
export async function handleAuthApiTaskRegister(exchange: HttpExchange): Promise<void> {
  await registerTask(exchange, {
    caller: undefined,
    profile: 'codex-current',
    answer: exchange.context.authApi.taskIdAnswer,
  });
}
