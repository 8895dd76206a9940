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
 * An exact path template and its methods (SPEC §3.8, last item: routes are exact, so a client
 * configured with a wrong base URL finds out at once). `{name}` stands for one non-empty path
 * segment and becomes a path parameter, in order.
 */
export interface Route {
  path: string;
  methods: Partial<Record<string, Endpoint>>;
}

/** The model endpoint's path under the configured prefix; the WebSocket upgrade lives there too. */
export function responsesPath(pathPrefix: string): string {
  return `${pathPrefix}/v1/responses`;
}

/**
 * Every route of the backend: the identity endpoints and the model endpoint under `pathPrefix`
 * only, the admin API at the root (`/_admin/…`) whatever the prefix.
 */
export function createRoutes(admin: BackendAdmin, pathPrefix: string): Route[] {
  const adminEndpoint = (handler: AdminHandler): Endpoint => ({
    handle: (exchange) => runAdmin(handler, admin, exchange),
  });
  return [
    { path: `${pathPrefix}/authenticate_app_v2`, methods: { GET: { fault: 'biscuit', handle: handleBiscuit } } },
    { path: `${pathPrefix}/v1/agent/register`, methods: { POST: { fault: 'agent_register', handle: handleAgentRegister } } },
    {
      path: `${pathPrefix}/v1/agent/{agentRuntimeId}/task/register`,
      methods: { POST: { fault: 'task_register', handle: handleTaskRegister } },
    },
    { path: responsesPath(pathPrefix), methods: { POST: { fault: 'responses', eventStream: true, handle: handleResponses } } },
    { path: '/_admin/agents', methods: { GET: adminEndpoint(adminHandlers.agents) } },
    { path: '/_admin/agents/{agentRuntimeId}/revoke', methods: { POST: adminEndpoint(adminHandlers.revokeAgent) } },
    { path: '/_admin/tasks', methods: { GET: adminEndpoint(adminHandlers.tasks) } },
    { path: '/_admin/tasks/{taskId}/revoke', methods: { POST: adminEndpoint(adminHandlers.revokeTask) } },
    { path: '/_admin/requests', methods: { GET: adminEndpoint(adminHandlers.requests) } },
    { path: '/_admin/counters', methods: { GET: adminEndpoint(adminHandlers.counters) } },
    { path: '/_admin/verify', methods: { POST: adminEndpoint(adminHandlers.verify) } },
    {
      path: '/_admin/faults',
      methods: {
        GET: adminEndpoint(adminHandlers.faults),
        POST: adminEndpoint(adminHandlers.injectFault),
        DELETE: adminEndpoint(adminHandlers.clearFaults),
      },
    },
    { path: '/_admin/ws-max-age', methods: { POST: adminEndpoint(adminHandlers.setWebSocketMaxAge) } },
    { path: '/_admin/reset', methods: { POST: adminEndpoint(adminHandlers.reset) } },
  ];
}
