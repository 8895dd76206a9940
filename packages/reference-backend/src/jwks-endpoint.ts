import type { HttpExchange } from './http-exchange.js';
import { sendJson } from './json-response.js';

/**
 * `GET {baseUrl}/wham/agent-identities/jwks` (or `/agent-identities/jwks` when the base has no
 * `/backend-api`; CODEX-CURRENT.md): the public keys identity JWTs are checked against. No auth.
 */
export async function handleJwks(exchange: HttpExchange): Promise<void> {
  sendJson(exchange.response, 200, await exchange.context.identityJwts.jwks());
}
