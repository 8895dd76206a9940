import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** What the server answers, verbatim. */
export interface ScriptedAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The backend calls the server plays, by path suffix (SPEC §1). */
export type ScriptedCall = 'biscuit' | 'agentRegister' | 'taskRegister';

type Answers = Partial<Record<ScriptedCall, ScriptedAnswer>>;

const routes: readonly [RegExp, ScriptedCall][] = [
  [/\/authenticate_app_v2$/, 'biscuit'],
  [/\/v1\/agent\/register$/, 'agentRegister'],
  [/\/v1\/agent\/[^/]+\/task\/register$/, 'taskRegister'],
];

/** Reads the request, then sends the answer scripted for its call (404 for anything else). */
function answerWith(answers: Answers, request: IncomingMessage, response: ServerResponse): void {
  const path = new URL(request.url ?? '/', 'http://scripted').pathname;
  const call = routes.find(([pattern]) => pattern.test(path))?.[1];
  const answer = call === undefined ? undefined : answers[call];
  request.resume();
  request.on('end', () => {
    if (answer === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
    response.end(answer.body);
  });
}

/**
 * A real HTTP server on 127.0.0.1 port 0 that answers each backend call with whatever the test
 * scripted for it — the arbitrary answers a real backend (or something in between) might send.
 */
export class ScriptedServer {
  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    /** Set per call before the client calls. */
    readonly answers: Answers,
  ) {}

  static async start(): Promise<ScriptedServer> {
    const answers: Answers = {};
    const server = createServer((request, response) => {
      answerWith(answers, request, response);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the server has no TCP address');
    return new ScriptedServer(server, `http://127.0.0.1:${address.port}`, answers);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}
