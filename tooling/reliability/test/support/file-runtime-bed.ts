import { RuntimeBed, type RuntimeBedOptions } from '@agent-identity/test-bed';

/**
 * What the suite runs the runtime on: the shared runtime bed with the file stores (`auth.json`
 * and `sessions/` in the bed's own Codex home folder). Each bed is independent of every other, so
 * tests on beds can run concurrently.
 */
export class FileRuntimeBed extends RuntimeBed {
  /** Runs `test` on a new bed, then closes its runtimes and backend and removes its folder. */
  static async run(
    options: Pick<RuntimeBedOptions, 'backend' | 'runtime'>,
    test: (bed: FileRuntimeBed) => Promise<void>,
  ): Promise<void> {
    const bed = await FileRuntimeBed.start({ ...options, identityStore: 'file', rolloutStore: 'file' });
    try {
      await test(bed);
    } finally {
      await bed.close();
    }
  }

  /** Sends a model request with `headers` to the backend's downstream endpoint; the HTTP status. */
  async downstreamStatus(headers: Readonly<Record<string, string>>): Promise<number> {
    const response = await fetch(this.backend.responsesUrl, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'reliability', input: 'hello', stream: true }),
    });
    await response.arrayBuffer();
    return response.status;
  }
}
