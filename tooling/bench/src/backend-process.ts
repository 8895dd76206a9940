import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_USER } from '@agent-identity/reference-backend';
import { BackendAdminClient } from './backend-admin-client.js';
import { ChildServer } from './child-server.js';

/** The reference backend's CLI, next to its entry point (source or built, whichever resolves). */
function cliPath(): string {
  const entry = fileURLToPath(import.meta.resolve('@agent-identity/reference-backend'));
  return join(dirname(entry), `cli${extname(entry)}`);
}

/** The reference backend in a child process, driven through its `/_admin` HTTP API. */
export class BackendProcess {
  /** The user the backend accepts (its CLI's default): the bench logs in as it. */
  static readonly user = DEMO_USER;

  readonly admin: BackendAdminClient;

  private constructor(private readonly server: ChildServer) {
    this.admin = new BackendAdminClient(server.url);
  }

  /** `args`: more CLI flags, e.g. `--data-dir <dir>` or `--database-url <url>` for the registry. */
  static async start(args: readonly string[] = []): Promise<BackendProcess> {
    return new BackendProcess(await ChildServer.start(cliPath(), args));
  }

  get baseUrl(): string {
    return this.server.url;
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
