import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/** The host names a loopback backend answers its admin API under. */
const loopbackHostnames = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
/** Addresses that listen on every interface: the Host a client uses cannot be known. */
const wildcardHosts = new Set(['0.0.0.0', '::', '[::]']);

/** Whether `host` (a listening address) is reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  return loopbackHostnames.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Who may drive `/_admin` (issue 11 item 5): a form POST from any web page needs no CORS
 * preflight, and DNS rebinding lets a page read a loopback server under its own host name. So:
 * - the `Host` must be a loopback name, or the interface the backend listens on (any, on a
 *   wildcard address — the token guards those);
 * - a cross-site `Origin` (another than `http://{Host}`) or `Sec-Fetch-Site` is refused;
 * - with a token (required when listening beyond loopback), `Authorization: Bearer <token>`.
 */
export class AdminGuard {
  readonly #listenHost: string;
  readonly #token: Buffer | undefined;

  constructor(listenHost: string, token: string | undefined) {
    this.#listenHost = listenHost;
    this.#token = token === undefined ? undefined : Buffer.from(token, 'utf8');
  }

  /** Throws the 401/403 `HttpError` for a call that may not drive the admin API. */
  check(request: IncomingMessage): void {
    const host = request.headers.host ?? '';
    if (!this.#hostAllowed(host)) {
      throw new HttpError(403, 'forbidden_host', 'the admin API answers only under the host the backend listens on');
    }
    const origin = request.headers.origin;
    const fetchSite = request.headers['sec-fetch-site'];
    const crossSiteFetch = fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none';
    if ((origin !== undefined && origin !== `http://${host}`) || crossSiteFetch) {
      throw new HttpError(403, 'cross_site_request', 'the admin API refuses requests from other origins');
    }
    if (this.#token !== undefined && !this.#tokenMatches(request.headers.authorization)) {
      throw new HttpError(401, 'admin_token_required', 'the admin API needs Authorization: Bearer <admin token>', {
        'www-authenticate': 'Bearer',
      });
    }
  }

  #hostAllowed(host: string): boolean {
    const hostname = URL.canParse(`http://${host}`) ? new URL(`http://${host}`).hostname : undefined;
    if (hostname === undefined || host === '') return false;
    if (isLoopbackHost(hostname) || wildcardHosts.has(this.#listenHost)) return true;
    return hostname === this.#listenHost || hostname === `[${this.#listenHost}]`;
  }

  #tokenMatches(authorization: string | undefined): boolean {
    const expected = this.#token;
    if (expected === undefined) return true;
    const presented = Buffer.from(authorization?.startsWith('Bearer ') === true ? authorization.slice(7) : '', 'utf8');
    return presented.length === expected.length && timingSafeEqual(presented, expected);
  }
}
