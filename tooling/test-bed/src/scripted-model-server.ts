import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { ModelStream } from './model-stream-scenarios.js';

/** What the server saw of one model call. */
export interface ModelCall {
  readonly transport: 'http' | 'ws';
  readonly path: string;
  readonly authorization: string | undefined;
  /** The JSON body (HTTP) or the `response.create` frame (WebSocket). */
  readonly request: unknown;
}

/**
 * A small model server on 127.0.0.1 that is not the reference backend: `POST /v1/responses`
 * answers `text/event-stream` and a WebSocket on the same path answers each text frame, both
 * with exactly the events of the stream it was told to `play` (SPEC §3.8), framed by hand. After
 * a stream without a terminal event it ends the connection (the HTTP body ends, the socket
 * closes with 1000). It accepts any `Authorization` and records it.
 */
export class ScriptedModelServer implements AsyncDisposable {
  /** `http://127.0.0.1:<port>`: the responses base (the endpoint is `{url}/v1/responses`). */
  readonly url: string;
  readonly calls: ModelCall[] = [];
  readonly #close: () => Promise<void>;
  #stream: ModelStream | undefined;

  private constructor(url: string, close: () => Promise<void>) {
    this.url = url;
    this.#close = close;
  }

  static async start(): Promise<ScriptedModelServer> {
    const http = createServer();
    const sockets = new WebSocketServer({ noServer: true });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    const server: ScriptedModelServer = new ScriptedModelServer(`http://127.0.0.1:${port}`, async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      http.closeAllConnections();
      http.close();
      await once(http, 'close');
    });
    http.on('request', (request, response) => {
      void (async () => {
        const body = await readBody(request);
        if (request.method !== 'POST' || pathOf(request) !== '/v1/responses') {
          response
            .writeHead(404, { 'content-type': 'application/json' })
            .end('{"error": {"code": "not_found", "message": "no such path"}}');
          return;
        }
        server.calls.push({
          transport: 'http',
          path: pathOf(request),
          authorization: request.headers.authorization,
          request: parseJson(body),
        });
        const events = server.#stream?.events;
        if (events === undefined) {
          response.writeHead(500, { 'content-type': 'application/json' }).end(NOTHING_TO_PLAY);
          return;
        }
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const event of events)
          response.write(`event: ${(event as { type: string }).type}\ndata: ${JSON.stringify(event)}\n\n`);
        response.end();
      })();
    });
    http.on('upgrade', (request, socket, head) => {
      if (pathOf(request) !== '/v1/responses') {
        socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
        return;
      }
      sockets.handleUpgrade(request, socket, head, (client) => {
        client.on('message', (data: Buffer) => {
          server.calls.push({
            transport: 'ws',
            path: pathOf(request),
            authorization: request.headers.authorization,
            request: parseJson(data.toString('utf8')),
          });
          const events = server.#stream?.events;
          if (events === undefined) {
            client.close(1011, 'play(stream) before calling the model');
            return;
          }
          for (const event of events) client.send(JSON.stringify(event));
          if (!endsWithTerminalEvent(events)) client.close(1000, 'stream over');
        });
      });
    });
    return server;
  }

  /** The stream every following model call gets. */
  play(stream: ModelStream): void {
    this.#stream = stream;
  }

  close(): Promise<void> {
    return this.#close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

const NOTHING_TO_PLAY = '{"error": {"code": "no_stream", "message": "play(stream) before calling the model"}}';

const TERMINAL_TYPES: ReadonlySet<string> = new Set([
  'response.completed',
  'response.failed',
  'response.incomplete',
  'error',
]);

function endsWithTerminalEvent(events: readonly object[]): boolean {
  const last = events.at(-1) as { type?: string } | undefined;
  return last?.type !== undefined && TERMINAL_TYPES.has(last.type);
}

function pathOf(request: IncomingMessage): string {
  return new URL(request.url ?? '/', 'http://model').pathname;
}

async function readBody(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += (chunk as Buffer).toString('utf8');
  return text;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
