import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { GatewayError } from './gateway-error.js';

/**
 * Where verified requests go: a Responses-compatible base URL (`{base}/v1/responses`), the
 * credential the gateway sends there, and a keep-alive connection pool to it.
 */
export class Upstream {
  readonly base: URL;
  readonly credential: string;
  /** The base's path without a trailing slash ('' at the root), what a client's path is appended to. */
  readonly #basePath: string;
  readonly #secure: boolean;
  readonly #agent: HttpAgent;

  constructor(base: string, credential: string) {
    let url: URL;
    try {
      url = new URL(base);
    } catch (error) {
      throw new GatewayError('OPTIONS_INVALID', 'upstream must be an absolute http(s) URL', { cause: error });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new GatewayError('OPTIONS_INVALID', 'upstream must be an absolute http(s) URL');
    }
    if (credential.trim() === '' || /[\r\n]/.test(credential)) {
      throw new GatewayError('OPTIONS_INVALID', 'upstreamAuthorization must be one non-empty header value');
    }
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.base = url;
    this.credential = credential;
    this.#secure = url.protocol === 'https:';
    this.#agent = this.#secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  }

  /** The upstream URL of a path the client asked the gateway for (its path and query appended to the base). */
  urlOf(pathAndQuery: string): URL {
    const url = new URL(this.base);
    const [path = '', query] = pathAndQuery.split('?', 2);
    url.pathname = `${this.#basePath}${path}`;
    url.search = query === undefined ? '' : `?${query}`;
    return url;
  }

  /** The same, on the WebSocket scheme. */
  webSocketUrlOf(pathAndQuery: string): URL {
    const url = this.urlOf(pathAndQuery);
    url.protocol = this.#secure ? 'wss:' : 'ws:';
    return url;
  }

  request(url: URL, options: RequestOptions): ClientRequest {
    return (this.#secure ? httpsRequest : httpRequest)(url, { ...options, agent: this.#agent });
  }

  close(): void {
    this.#agent.destroy();
  }
}
