import { BackendError } from './backend-error.js';
import type { BackendAdmin } from './backend-admin.js';
import { parseFault } from './faults.js';
import { HttpError } from './http-error.js';
import type { HttpExchange } from './http-exchange.js';
import { readJsonBody } from './json-body.js';
import { sendJson } from './json-response.js';
import type { TaskIdAnswerForm } from './options.js';

/** An admin call over HTTP: the same controls as `backend.admin`, JSON in and out. */
export type AdminHandler = (admin: BackendAdmin, exchange: HttpExchange) => Promise<unknown>;

function notFound(kind: string, id: string): HttpError {
  return new HttpError(404, 'not_found', `no ${kind} ${id}`);
}

async function readObject(exchange: HttpExchange): Promise<Record<string, unknown>> {
  const body = await readJsonBody(exchange.request);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'invalid_request', 'body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/** Admin errors of the caller's making are 400s. */
function asBadRequest(error: unknown): never {
  if (BackendError.isInstance(error)) throw new HttpError(400, 'invalid_request', error.message);
  throw error;
}

export const adminHandlers = {
  agents: async (admin) => ({ agents: await admin.agents() }),
  tasks: async (admin) => ({ tasks: await admin.tasks() }),
  requests: (admin) => Promise.resolve({ requests: admin.requests() }),
  counters: (admin) => Promise.resolve(admin.counters()),
  webSockets: (admin) => Promise.resolve({ webSockets: admin.webSockets() }),
  faults: (admin) => Promise.resolve({ faults: admin.faults() }),

  revokeAgent: async (admin, exchange) => {
    const id = exchange.params[0] ?? '';
    const agent = await admin.revokeAgent(id);
    if (agent === undefined) throw notFound('agent', id);
    return { agent };
  },

  revokeTask: async (admin, exchange) => {
    const id = exchange.params[0] ?? '';
    const task = await admin.revokeTask(id);
    if (task === undefined) throw notFound('task', id);
    return { task };
  },

  verify: async (admin, exchange) => {
    const { header } = await readObject(exchange);
    if (typeof header !== 'string') throw new HttpError(400, 'invalid_request', 'header must be a string');
    return admin.verify(header);
  },

  injectFault: async (admin, exchange) => {
    const { endpoint, fault, times } = await readObject(exchange);
    try {
      const checked = parseFault(endpoint, fault, times ?? 1);
      admin.injectFault(checked.endpoint, checked.fault, { times: checked.remaining });
    } catch (error) {
      asBadRequest(error);
    }
    return { faults: admin.faults() };
  },

  clearFaults: (admin) => {
    admin.clearFaults();
    return Promise.resolve({ faults: admin.faults() });
  },

  setWebSocketMaxAge: async (admin, exchange) => {
    const { maxAgeMs } = await readObject(exchange);
    if (maxAgeMs !== null && typeof maxAgeMs !== 'number') {
      throw new HttpError(400, 'invalid_request', 'maxAgeMs must be a number or null');
    }
    try {
      admin.setWebSocketMaxAge(maxAgeMs);
    } catch (error) {
      asBadRequest(error);
    }
    return { maxAgeMs: admin.webSocketMaxAge() };
  },

  mintCodexLogin: async (admin, exchange) => {
    const body = await readObject(exchange);
    try {
      return { tokens: admin.mintCodexLogin(body) };
    } catch (error) {
      return asBadRequest(error);
    }
  },

  mintIdentityJwt: async (admin, exchange) => {
    const body = await readObject(exchange);
    try {
      return await admin.mintIdentityJwt(body);
    } catch (error) {
      return asBadRequest(error);
    }
  },

  taskIdAnswer: (admin) => Promise.resolve({ taskIdAnswer: admin.taskIdAnswer() }),

  setTaskIdAnswer: async (admin, exchange) => {
    const { taskIdAnswer } = await readObject(exchange);
    try {
      admin.setTaskIdAnswer(taskIdAnswer as TaskIdAnswerForm);
    } catch (error) {
      asBadRequest(error);
    }
    return { taskIdAnswer: admin.taskIdAnswer() };
  },

  reset: async (admin) => {
    await admin.reset();
    return {};
  },
} satisfies Record<string, AdminHandler>;

/** Runs an admin handler, once the caller may (the `AdminGuard`), and answers its result as JSON 200. */
export async function runAdmin(handler: AdminHandler, admin: BackendAdmin, exchange: HttpExchange): Promise<void> {
  exchange.context.adminGuard.check(exchange.request);
  sendJson(exchange.response, 200, await handler(admin, exchange));
}
