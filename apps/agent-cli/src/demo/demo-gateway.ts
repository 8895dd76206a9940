import { AdminApiRegistry, startAgentGateway, type AgentGateway } from '@agent-identity/agent-gateway';
import { BackendAdminClient, DEMO_USER } from '@agent-identity/reference-backend';

export const UPSTREAM_AUTHORIZATION_VARIABLE = 'AGENT_GATEWAY_UPSTREAM_AUTHORIZATION';

export interface DemoGatewaySetting {
  /** The model endpoint the gateway fronts. */
  readonly modelBase: string;
  /** The backend whose `/_admin` API holds the agents and tasks. */
  readonly backendUrl: string;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * `demo --gateway`: an agent-gateway in this process in front of the model endpoint, the way a
 * team whose API agents call would put it there. It reads the backend's registry for every
 * request (staleness 0), so step 5's revocation is refused at the gateway on the very next turn;
 * its upstream credential is the demo user's token unless the environment gives another.
 */
export function startDemoGateway(setting: DemoGatewaySetting): Promise<AgentGateway> {
  const admin = new BackendAdminClient({ url: setting.backendUrl });
  return startAgentGateway({
    upstream: setting.modelBase,
    upstreamAuthorization: setting.env[UPSTREAM_AUTHORIZATION_VARIABLE] ?? `Bearer ${DEMO_USER.accessToken}`,
    admin,
    registry: new AdminApiRegistry(admin, { maxStalenessMs: 0 }),
  });
}
