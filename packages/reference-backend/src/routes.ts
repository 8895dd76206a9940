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
 * A path suffix and its methods. Suffixes (anchored at the end only) make every route work under
 * any base path prefix, such as `/backend-api` (SPEC §1). Capture groups are path parameters.
 */
export interface Route {
  pattern: RegExp;
  methods: Partial<Record<string, Endpoint>>;
}

export const RESPONSES_PATH = /\/v1\/responses$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `{baseUrl}/wham/agent-identities/jwks` when the path prefix contains `/backend-api`, else
 * `{baseUrl}/agent-identities/jwks` (CODEX-CURRENT.md; protocol's `agentIdentityJwksUrl`).
 */
export function jwksPath(pathPrefix: string): string {
  return pathPrefix.includes('/backend-api') ? `${pathPrefix}/wham/agent-identities/jwks` : `${pathPrefix}/agent-identities/jwks`;
}

/**
 * The current profile's routes (CODEX-CURRENT.md), exact: the AuthAPI under
 * `authApiPathPrefix`, the JWKS and the account services under `pathPrefix`. They come first, so that an AuthAPI call is
 * never taken for SPEC §3.3's biscuit registration, whose route ends alike.
 */
function currentProfileRoutes(options: ResolvedBackendOptions): Route[] {
  const authApi = escapeRegExp(options.authApiPathPrefix);
  return [
    {
      pattern: new RegExp(`^${authApi}/v1/agent/register$`),
      methods: { POST: { fault: 'authapi_agent_register', handle: handleAuthApiAgentRegister } },
    },
    {
      pattern: new RegExp(`^${authApi}/v1/agent/([^/]+)/task/register$`),
      methods: { POST: { fault: 'authapi_task_register', handle: handleAuthApiTaskRegister } },
    },
    {
      pattern: new RegExp(`^${escapeRegExp(jwksPath(options.pathPrefix))}$`),
      methods: { GET: { fault: 'jwks', handle: handleJwks } },
    },
    {
      pattern: new RegExp(`^${escapeRegExp(options.pathPrefix)}/wham/settings/user$`),
      methods: { GET: { handle: handleUserSettings } },
    },
    {
      pattern: new RegExp(`^${escapeRegExp(options.pathPrefix)}/wham/accounts/check$`),
      methods: { GET: { handle: handleAccountsCheck } },
    },
  ];
}

export function createRoutes(admin: BackendAdmin, options: ResolvedBackendOptions): Route[] {
  const adminEndpoint = (handler: AdminHandler): Endpoint => ({
    handle: (exchange) => runAdmin(handler, admin, exchange),
  });
  return [
    ...currentProfileRoutes(options),
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
    { pattern: /\/_admin\/identity-jwts$/, methods: { POST: adminEndpoint(adminHandlers.mintIdentityJwt) } },
    {
      pattern: /\/_admin\/task-id-answer$/,
      methods: { GET: adminEndpoint(adminHandlers.taskIdAnswer), POST: adminEndpoint(adminHandlers.setTaskIdAnswer) },
    },
    { pattern: /\/_admin\/reset$/, methods: { POST: adminEndpoint(adminHandlers.reset) } },
  ];
}
