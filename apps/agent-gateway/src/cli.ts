#!/usr/bin/env node
import { startAgentGateway } from './agent-gateway.js';
import { AdminApiRegistry } from './admin-api-registry.js';
import { BackendAdminApi } from './backend-admin-api.js';
import { parseGatewayArguments, USAGE } from './cli-arguments.js';
import { GatewayError } from './gateway-error.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const settings = parseGatewayArguments(argv, process.env);
  const admin = new BackendAdminApi({ url: settings.adminUrl, adminToken: settings.adminToken });
  const gateway = await startAgentGateway({
    upstream: settings.upstream,
    upstreamAuthorization: settings.upstreamAuthorization,
    admin,
    registry: new AdminApiRegistry(admin, { maxStalenessMs: settings.maxStalenessMs }),
    host: settings.host,
    port: settings.port,
  });
  process.stdout.write(`${gateway.url}\n`);
  process.stderr.write(`agent-gateway: dashboard ${gateway.dashboardUrl}\n`);
  const stop = (): void => {
    void gateway.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`agent-gateway: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = GatewayError.isInstance(error) && error.code === 'OPTIONS_INVALID' ? 2 : 1;
});
