import type { ApiBridgeError } from './api-bridge-error.js';
import { markUnrecovered } from './recovery-errors.js';

/**
 * The header the `openai` SDK (and Stainless-generated SDKs) obey over their status table:
 * `false` means "do not retry", whatever the status.
 */
const SHOULD_RETRY_HEADER = 'x-should-retry';

/**
 * An answer of the wrapper itself, for a request it did not send: `{"error": {"code", "message",
 * "type"}}` with `error` the reason (`recoveryErrorOf` gives it back). A `fetch` rejection would
 * mean "no HTTP answer", which SDKs retry blindly ("Connection error."); an HTTP error with
 * `x-should-retry: false` reaches the caller once, as the SDK's `APIError` with `code` = ours.
 * 401 when the request could not be authenticated, 400 when it named no thread.
 */
export function ownAnswer(status: 400 | 401, error: ApiBridgeError): Response {
  const body = { error: { code: error.code, message: error.message, type: 'agent_identity_error' } };
  const response = new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', [SHOULD_RETRY_HEADER]: 'false' },
  });
  markUnrecovered(response, error);
  return response;
}
