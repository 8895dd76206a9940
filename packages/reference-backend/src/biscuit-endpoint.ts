import {
  BISCUIT_REQUEST_ID_PREFIX,
  BISCUIT_RESPONSE_HEADER,
  decodeBase64UrlNoPad,
  ORIGINAL_METHOD_HEADER,
  ORIGINAL_URL_HEADER,
  REQUEST_ID_HEADER,
} from '@agent-identity/protocol';
import { parseAuthorization } from '@agent-identity/verifier';
import { MAX_BISCUIT_URL_BYTES } from '@agent-identity/registry';
import { HttpError } from './http-error.js';
import { singleHeader, type HttpExchange } from './http-exchange.js';
import { sendJson } from './json-response.js';
import type { BackendUser } from './options.js';
import type { UserDirectory } from './user-directory.js';

/** The configured user whose access token is the `Bearer` credential, else 401. */
export function bearerUser(authorization: string | undefined, users: UserDirectory): BackendUser {
  const credentials = parseAuthorization(authorization);
  if (credentials.scheme === 'missing') {
    throw new HttpError(401, 'missing_authorization', 'Authorization: Bearer <access token> is required');
  }
  const user = credentials.scheme === 'bearer' ? users.byAccessToken(credentials.token) : undefined;
  if (user === undefined) throw new HttpError(401, 'invalid_token', 'access token is not valid');
  return user;
}

function invalidRequest(message: string): HttpError {
  return new HttpError(400, 'invalid_request', message);
}

/** `codex-agent-identity-` + base64url-nopad of 16 bytes (SPEC §3.2). */
function checkRequestId(requestId: string | undefined): string {
  const random = requestId?.startsWith(BISCUIT_REQUEST_ID_PREFIX)
    ? requestId.slice(BISCUIT_REQUEST_ID_PREFIX.length)
    : undefined;
  if (requestId === undefined || random === undefined || decodeBase64UrlNoPad(random)?.length !== 16) {
    throw invalidRequest(`${REQUEST_ID_HEADER} must be ${BISCUIT_REQUEST_ID_PREFIX}<base64url of 16 bytes>`);
  }
  return requestId;
}

function checkOriginalMethod(method: string | undefined): string {
  if (method === undefined || !/^[A-Z]+$/.test(method)) {
    throw invalidRequest(`${ORIGINAL_METHOD_HEADER} must be an HTTP method such as POST`);
  }
  return method;
}

function checkOriginalUrl(url: string | undefined): string {
  const parsed = url === undefined || !URL.canParse(url) ? undefined : new URL(url);
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw invalidRequest(`${ORIGINAL_URL_HEADER} must be an absolute http(s) URL`);
  }
  // The normalized form is what the store keeps: its bytes are what the cap bounds.
  if (Buffer.byteLength(parsed.href) > MAX_BISCUIT_URL_BYTES) {
    throw invalidRequest(`${ORIGINAL_URL_HEADER} must be at most ${MAX_BISCUIT_URL_BYTES} bytes`);
  }
  return parsed.href;
}

/**
 * `GET …/authenticate_app_v2` (SPEC §3.2): a configured user's access token buys a one-call
 * biscuit for the named method and absolute URL, returned in `x-openai-authorization`.
 */
export async function handleBiscuit(exchange: HttpExchange): Promise<void> {
  const { request, context } = exchange;
  const user = bearerUser(singleHeader(request, 'authorization'), context.users);
  const requestId = checkRequestId(singleHeader(request, REQUEST_ID_HEADER));
  const method = checkOriginalMethod(singleHeader(request, ORIGINAL_METHOD_HEADER));
  const url = checkOriginalUrl(singleHeader(request, ORIGINAL_URL_HEADER));
  const nowMs = context.options.now();
  const biscuit = await context.biscuits.mint(
    { method, url, accountId: user.accountId, userId: user.userId, expiresAtMs: nowMs + context.options.biscuitTtlMs },
    context.options.randomBytes,
    nowMs,
  );
  context.counters.biscuitMinted();
  sendJson(exchange.response, 200, {}, { [BISCUIT_RESPONSE_HEADER]: biscuit, [REQUEST_ID_HEADER]: requestId });
}
