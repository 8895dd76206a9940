import { readCappedBody, type Timers } from '@agent-identity/core';
import { DownstreamErrorBody, type DownstreamRejectionCode } from '@agent-identity/protocol';

/** A refusal body is under 200 bytes; reading stops well before a hostile one could hurt. */
const MAX_ERROR_BODY_BYTES = 16 * 1024;

/** How long a refusal body may take to arrive: a refusal is one small write. */
export const DEFAULT_REFUSAL_READ_TIMEOUT_MS = 5_000;

/** How {@link refusalCodeOf} reads: its deadline, and the request's signal. */
export interface RefusalReadOptions {
  readonly timeoutMs: number;
  readonly timers: Timers;
  /** The request's `AbortSignal`: aborting it rejects with its reason, as `fetch` would. */
  readonly signal: AbortSignal | undefined;
}

/**
 * The SPEC §3.8 code of a downstream refusal: for a 401 whose JSON body is
 * `{"error": {"code": "<one of the nine codes>", "message": …}}`, that code; else `undefined`.
 * Reads a clone, so `response`'s own body is left for the caller; an unreadable, oversized,
 * non-JSON or late body (a server that stalls mid-body) is no refusal. Every other status costs
 * nothing: the body is not touched. Rejects with the signal's reason when the request is aborted.
 */
export async function refusalCodeOf(
  response: Response,
  options: RefusalReadOptions,
): Promise<DownstreamRejectionCode | undefined> {
  if (response.status !== 401 || response.body === null) return undefined;
  const text = await refusalBodyText(response.clone(), options);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const body = DownstreamErrorBody.safeParse(json);
  return body.success ? body.data.error.code : undefined;
}

/** The whole body as text, or `undefined` if it is over the cap, late or fails mid-read. */
async function refusalBodyText(response: Response, options: RefusalReadOptions): Promise<string | undefined> {
  const { timeoutMs, timers, signal } = options;
  try {
    const body = await readCappedBody(response, {
      maxBytes: MAX_ERROR_BODY_BYTES,
      overflow: 'give-up',
      signal,
      deadline: { timeoutMs, timers },
    });
    return body.outcome === 'whole' ? body.text : undefined;
  } catch (error) {
    if (signal?.aborted === true) throw error;
    return undefined;
  }
}
