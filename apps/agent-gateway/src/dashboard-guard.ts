import type { IncomingMessage } from 'node:http';

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

function hostName(host: string): string {
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? '');
}

/**
 * Whether a dashboard request may be answered: its revoke buttons change the registry, so, as the
 * reference backend's `/_admin`, it answers only under a loopback host name or the interface the
 * gateway listens on (DNS rebinding), and a POST only from the dashboard's own origin (a form or
 * script of another site). Returns the refusal's reason, or `undefined` to answer.
 */
export function dashboardRefusal(request: IncomingMessage, listenHost: string): string | undefined {
  const host = request.headers.host ?? '';
  const name = hostName(host);
  if (!LOOPBACK_NAMES.has(name) && name !== listenHost) return 'forbidden_host';
  if (request.method === 'GET') return undefined;
  const { origin } = request.headers;
  const site = request.headers['sec-fetch-site'];
  if (origin !== undefined && origin !== `http://${host}`) return 'cross_site_request';
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return 'cross_site_request';
  // A cross-site form cannot send JSON without a preflight the gateway never answers.
  if (!(request.headers['content-type'] ?? '').startsWith('application/json')) return 'cross_site_request';
  return undefined;
}
