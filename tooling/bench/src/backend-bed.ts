import { BackendProcess } from './backend-process.js';
import { clientRuntime, type ClientRuntime, type ClientRuntimeOptions } from './client-runtime.js';
import { TempFolder } from './temp-folder.js';

/**
 * The reference backend in a child process and a temp Codex home, with the client runtimes a
 * benchmark makes on them. `BackendBed.run` closes every runtime, then the backend, then removes
 * the home, whatever the benchmark did.
 */
export class BackendBed {
  readonly #clients: ClientRuntime[] = [];

  private constructor(
    readonly backend: BackendProcess,
    readonly home: TempFolder,
  ) {}

  /** Runs `body` on a new bed labelled `label` (in its temp folder's name), then takes the bed down. */
  static async run<T>(label: string, body: (bed: BackendBed) => Promise<T>): Promise<T> {
    const backend = await BackendProcess.start();
    const home = await TempFolder.create(label);
    const bed = new BackendBed(backend, home);
    try {
      return await body(bed);
    } finally {
      await Promise.all(bed.#clients.map((client) => client.runtime.close()));
      await backend.close();
      await home.remove();
    }
  }

  /** A client runtime on the backend with the bed's Codex home (its own `authPath` makes a new agent). */
  client(options: Omit<ClientRuntimeOptions, 'home' | 'baseUrl'> = {}): ClientRuntime {
    const client = clientRuntime({ home: this.home.path, baseUrl: this.backend.baseUrl, ...options });
    this.#clients.push(client);
    return client;
  }

  /** Throws if any client runtime of the bed reported an error event. */
  assertNoErrorEvents(): void {
    for (const client of this.#clients) client.assertNoErrorEvents();
  }
}
