export { startAgentGateway, type AgentGateway, type AgentGatewayOptions } from './agent-gateway.js';
export { AdminApiRegistry, type AdminApiRegistryOptions, type GatewayRegistry } from './admin-api-registry.js';
export {
  BackendAdminApi,
  type BackendAdminApiOptions,
  type RegisteredAgent,
  type RegisteredTask,
  type RegistryAdmin,
} from './backend-admin-api.js';
export { RequestLedger, type GatewayVerdict, type RecordListener, type RequestRecord } from './request-ledger.js';
export { GatewayError, type GatewayErrorCode } from './gateway-error.js';
export { AGENT_RUNTIME_ID_HEADER, AGENT_TASK_ID_HEADER } from './forwarded-headers.js';
export { DASHBOARD_PREFIX } from './dashboard-endpoints.js';
