export { startAgentGateway, type AgentGateway, type AgentGatewayOptions } from './agent-gateway.js';
export { AdminApiRegistry, type AdminApiRegistryOptions, type GatewayRegistry } from './admin-api-registry.js';
export type { RegistryAdmin } from './registry-admin.js';
export { RequestLedger, type GatewayVerdict, type RecordListener, type RequestRecord } from './request-ledger.js';
export { GatewayError, type GatewayErrorCode } from './gateway-error.js';
export { AGENT_RUNTIME_ID_HEADER, AGENT_TASK_ID_HEADER } from './forwarded-headers.js';
export { DASHBOARD_PREFIX } from './dashboard-endpoints.js';
