import { adminHandlers, runAdmin, type AdminHandler } from './admin-endpoints.js';
import { handleAgentRegister } from './agent-register-endpoint.js';
import type { BackendAdmin } from './backend-admin.js';
import { handleBiscuit } from './biscuit-endpoint.js';
import type { FaultEndpoint } from './faults.js';
import type { HttpExchange } from './http-exchange.js';
import { handleResponses } from './responses-endpoint.js';
import { handleTaskRegister } from './task-register-endpoint.js';

/** One method of one route. */
export interface Endpoint {
  /** The fault-injection name of the endpoint, if faults apply to it. */
  fault?: FaultEndpoint;
  /** Whether its successful answer is an event stream (shapes the `garbage` fault). */
  eventStream?: boolean;
  handle(exchange: HttpExchange): Promise<void>;
}

/**
 * A path suffix and its methods. Suffixes (anchored at the end only) make every route work under
 * any base path prefix, such as `/backend-api` (SPEC §1). Capture groups are path parameters.
 */
export interface Route {
  pattern: RegExp;
  methods: Partial<Record<string, Endpoint>>;
}

export const RESPONSES_PATH = /\/v1\/responses$/;

export function createRoutes(admin: BackendAdmin): Route[] {
  const adminEndpoint = (handler: AdminHandler): Endpoint => ({
    handle: (exchange) => runAdmin(handler, admin, exchange),
  });
  return [
    { pattern: /\/authenticate_app_v2$/, methods: { GET: { fault: 'biscuit', handle: handleBiscuit } } },
    { pattern: /\/v1\/agent\/register$/, methods: { POST: { fault: 'agent_register', handle: handleAgentRegister } } },
    {
      pattern: /\/v1\/agent\/([^/]+)\/task\/register$/,
      methods: { POST: { fault: 'task_register', handle: handleTaskRegister } },
    },
    { pattern: RESPONSES_PATH, methods: { POST: { fault: 'responses', eventStream: true, handle: handleResponses } } },
    { pattern: /\/_admin\/agents$/, methods: { GET: adminEndpoint(adminHandlers.agents) } },
    { pattern: /\/_admin\/agents\/([^/]+)\/revoke$/, methods: { POST: adminEndpoint(adminHandlers.revokeAgent) } },
    { pattern: /\/_admin\/tasks$/, methods: { GET: adminEndpoint(adminHandlers.tasks) } },
    { pattern: /\/_admin\/tasks\/([^/]+)\/revoke$/, methods: { POST: adminEndpoint(adminHandlers.revokeTask) } },
    { pattern: /\/_admin\/requests$/, methods: { GET: adminEndpoint(adminHandlers.requests) } },
    { pattern: /\/_admin\/counters$/, methods: { GET: adminEndpoint(adminHandlers.counters) } },
    { pattern: /\/_admin\/verify$/, methods: { POST: adminEndpoint(adminHandlers.verify) } },
    {
      pattern: /\/_admin\/faults$/,
      methods: {
        GET: adminEndpoint(adminHandlers.faults),
        POST: adminEndpoint(adminHandlers.injectFault),
        DELETE: adminEndpoint(adminHandlers.clearFaults),
      },
    },
    { pattern: /\/_admin\/ws-max-age$/, methods: { POST: adminEndpoint(adminHandlers.setWebSocketMaxAge) } },
    { pattern: /\/_admin\/reset$/, methods: { POST: adminEndpoint(adminHandlers.reset) } },
  ];
}
