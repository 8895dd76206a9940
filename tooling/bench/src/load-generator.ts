import { Agent, request as httpRequest } from 'node:http';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/**
 * A lean keep-alive HTTP client for load: `node:http` with one socket per worker, so that the
 * client's own cost per request stays far below the server's.
 */
export class LoadClient {
  readonly #agent: Agent;

  constructor(sockets: number) {
    this.#agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  send(url: string, init: { method: string; headers?: Record<string, string>; body?: string }): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        url,
        { method: init.method, headers: init.headers, agent: this.#agent },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () => {
            resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks) });
          });
          incoming.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(init.body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

export interface LoadOptions {
  /** Operations in flight at once (closed loop: each worker starts its next when one ends). */
  readonly concurrency: number;
  /** Not counted: connections open, code paths warm. */
  readonly warmupMs: number;
  readonly durationMs: number;
  /** One operation; rejects (or returns false) when it did not succeed. */
  readonly operation: () => Promise<boolean>;
}

/** Operations per second that succeeded within the measured window; a failure aborts the run. */
export async function measureThroughput(options: LoadOptions): Promise<number> {
  const start = performance.now();
  const windowStart = start + options.warmupMs;
  const windowEnd = windowStart + options.durationMs;
  let completed = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < windowEnd) {
      if (!(await options.operation())) throw new Error('an operation under load failed');
      const now = performance.now();
      if (now >= windowStart && now < windowEnd) completed += 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return completed / (options.durationMs / 1000);
}
