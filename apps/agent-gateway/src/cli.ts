#!/usr/bin/env node
import { CachedRegistry, openRegistryStore, type RegistryStore } from '@agent-identity/registry';
import { startAgentGateway } from './agent-gateway.js';
import { AdminApiRegistry, type GatewayRegistry } from './admin-api-registry.js';
import { BackendAdminApi } from './backend-admin-api.js';
import { parseGatewayArguments, USAGE, type GatewaySettings } from './cli-arguments.js';
import { GatewayError } from './gateway-error.js';

interface OpenedRegistry {
  readonly registry: GatewayRegistry;
  readonly close: () => Promise<void>;
}

/** The backend's PostgreSQL registry when a database URL is given, else its admin API. */
async function openRegistry(settings: GatewaySettings, admin: BackendAdminApi): Promise<OpenedRegistry> {
  if (settings.databaseUrl === undefined) {
    return {
      registry: new AdminApiRegistry(admin, { maxStalenessMs: settings.maxStalenessMs }),
      close: () => Promise.resolve(),
    };
  }
  const store: RegistryStore = await openRegistryStore({ databaseUrl: settings.databaseUrl });
  const registry = new CachedRegistry(store);
  return {
    registry,
    close: async () => {
      registry[Symbol.dispose]();
      await store.close();
    },
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const settings = parseGatewayArguments(argv, process.env);
  const admin = new BackendAdminApi({ url: settings.adminUrl, adminToken: settings.adminToken });
  const opened = await openRegistry(settings, admin);
  const gateway = await startAgentGateway({
    upstream: settings.upstream,
    upstreamAuthorization: settings.upstreamAuthorization,
    admin,
    registry: opened.registry,
    host: settings.host,
    port: settings.port,
  });
  process.stdout.write(`${gateway.url}\n`);
  process.stderr.write(
    `agent-gateway: dashboard ${gateway.dashboardUrl}; registry: ${settings.databaseUrl === undefined ? 'the admin API' : 'PostgreSQL'}\n`,
  );
  const stop = (): void => {
    void gateway.close().then(opened.close);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`agent-gateway: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = GatewayError.isInstance(error) && error.code === 'OPTIONS_INVALID' ? 2 : 1;
});
