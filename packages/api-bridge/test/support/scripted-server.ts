import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as it reached the server: raw header names and values, the whole body. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export type ScriptedHandler = (
  request: ReceivedRequest,
  response: ServerResponse,
  index: number,
) => void | Promise<void>;

/**
 * A tiny downstream service on 127.0.0.1 port 0 whose answers the test scripts, recording every
 * request it receives exactly as it came over the wire.
 */
export class ScriptedServer implements AsyncDisposable {
  private constructor(
    readonly url: string,
    /** Every request received so far, in arrival order. */
    readonly received: readonly ReceivedRequest[],
    readonly close: () => Promise<void>,
  ) {}

  static async start(handler: ScriptedHandler): Promise<ScriptedServer> {
    const received: ReceivedRequest[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const entry = {
          method: request.method ?? '',
          path: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks),
        };
        received.push(entry);
        Promise.resolve(handler(entry, response, received.length - 1)).catch((error: unknown) => {
          response.destroy(error instanceof Error ? error : new Error(String(error)));
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const close = async (): Promise<void> => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    };
    return new ScriptedServer(`http://127.0.0.1:${port}`, received, close);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** The downstream refusal of a revoked task (SPEC §3.8). */
export function refuseTaskInvalid(response: ServerResponse): void {
  response.writeHead(401, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ error: { code: 'task_invalid', message: 'the task is no longer valid' } }));
}

/** 200 with the request's body and content type echoed back. */
export function echo(request: ReceivedRequest, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': request.headers['content-type'] ?? 'application/octet-stream' });
  response.end(request.body);
}
