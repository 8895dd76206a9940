import { adminHandlers, runAdmin, type AdminHandler } from './admin-endpoints.js';
import { handleAccountsCheck, handleUserSettings } from './account-service-endpoints.js';
import { handleAgentRegister } from './agent-register-endpoint.js';
import { handleAuthApiAgentRegister } from './authapi-agent-register-endpoint.js';
import { handleAuthApiTaskRegister } from './authapi-task-register-endpoint.js';
import type { BackendAdmin } from './backend-admin.js';
import { handleBiscuit } from './biscuit-endpoint.js';
import type { FaultEndpoint } from './faults.js';
import type { HttpExchange } from './http-exchange.js';
import { handleJwks } from './jwks-endpoint.js';
import type { ResolvedBackendOptions } from './options.js';
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
 * `{baseUrl}/wham/agent-identities/jwks` when the path prefix contains `/backend-api`, else
 * `{baseUrl}/agent-identities/jwks` (CODEX-CURRENT.md; protocol's `agentIdentityJwksUrl`).
 */
export function jwksPath(pathPrefix: string): string {
  return pathPrefix.includes('/backend-api')
    ? `${pathPrefix}/wham/agent-identities/jwks`
    : `${pathPrefix}/agent-identities/jwks`;
}

/**
 * The current profile's routes (CODEX-CURRENT.md): the AuthAPI under `authApiPathPrefix`, the
 * JWKS and the account services under `pathPrefix` (the options keep the two prefixes apart).
 */
function currentProfileRoutes(options: ResolvedBackendOptions): Route[] {
  const { authApiPathPrefix, pathPrefix } = options;
  return [
    {
      path: `${authApiPathPrefix}/v1/agent/register`,
      methods: { POST: { fault: 'authapi_agent_register', handle: handleAuthApiAgentRegister } },
    },
    {
      path: `${authApiPathPrefix}/v1/agent/{agentRuntimeId}/task/register`,
      methods: { POST: { fault: 'authapi_task_register', handle: handleAuthApiTaskRegister } },
    },
    { path: jwksPath(pathPrefix), methods: { GET: { fault: 'jwks', handle: handleJwks } } },
    { path: `${pathPrefix}/wham/settings/user`, methods: { GET: { handle: handleUserSettings } } },
    { path: `${pathPrefix}/wham/accounts/check`, methods: { GET: { handle: handleAccountsCheck } } },
  ];
}

/**
 * Every route of the backend: the identity endpoints and the model endpoint under `pathPrefix`
 * only, the AuthAPI under `authApiPathPrefix`, the admin API at the root (`/_admin/…`).
 */
export function createRoutes(admin: BackendAdmin, options: ResolvedBackendOptions): Route[] {
  const { pathPrefix } = options;
  const adminEndpoint = (handler: AdminHandler): Endpoint => ({
    handle: (exchange) => runAdmin(handler, admin, exchange),
  });
  return [
    ...currentProfileRoutes(options),
    { path: `${pathPrefix}/authenticate_app_v2`, methods: { GET: { fault: 'biscuit', handle: handleBiscuit } } },
    {
      path: `${pathPrefix}/v1/agent/register`,
      methods: { POST: { fault: 'agent_register', handle: handleAgentRegister } },
    },
    {
      path: `${pathPrefix}/v1/agent/{agentRuntimeId}/task/register`,
      methods: { POST: { fault: 'task_register', handle: handleTaskRegister } },
    },
    {
      path: responsesPath(pathPrefix),
      methods: { POST: { fault: 'responses', eventStream: true, handle: handleResponses } },
    },
    { path: '/_admin/agents', methods: { GET: adminEndpoint(adminHandlers.agents) } },
    { path: '/_admin/agents/{agentRuntimeId}/revoke', methods: { POST: adminEndpoint(adminHandlers.revokeAgent) } },
    { path: '/_admin/tasks', methods: { GET: adminEndpoint(adminHandlers.tasks) } },
    { path: '/_admin/tasks/{taskId}/revoke', methods: { POST: adminEndpoint(adminHandlers.revokeTask) } },
    { path: '/_admin/requests', methods: { GET: adminEndpoint(adminHandlers.requests) } },
    { path: '/_admin/counters', methods: { GET: adminEndpoint(adminHandlers.counters) } },
    { path: '/_admin/websockets', methods: { GET: adminEndpoint(adminHandlers.webSockets) } },
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
    { path: '/_admin/identity-jwts', methods: { POST: adminEndpoint(adminHandlers.mintIdentityJwt) } },
    { path: '/_admin/codex-logins', methods: { POST: adminEndpoint(adminHandlers.mintCodexLogin) } },
    {
      path: '/_admin/task-id-answer',
      methods: { GET: adminEndpoint(adminHandlers.taskIdAnswer), POST: adminEndpoint(adminHandlers.setTaskIdAnswer) },
    },
    { path: '/_admin/reset', methods: { POST: adminEndpoint(adminHandlers.reset) } },
  ];
}
