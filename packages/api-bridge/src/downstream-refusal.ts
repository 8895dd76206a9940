import { DownstreamErrorBody, type DownstreamRejectionCode } from '@agent-identity/protocol';

/** A refusal body is under 200 bytes; reading stops well before a hostile one could hurt. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * The SPEC §3.8 code of a downstream refusal: for a 401 whose JSON body is
 * `{"error": {"code": "<one of the nine codes>", "message": …}}`, that code; else `undefined`.
 * Reads a clone, so `response`'s own body is left for the caller; an unreadable, oversized or
 * non-JSON body is no refusal. Every other status costs nothing: the body is not touched.
 */
export async function refusalCodeOf(response: Response): Promise<DownstreamRejectionCode | undefined> {
  if (response.status !== 401 || response.body === null) return undefined;
  const text = await readCappedText(response.clone());
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

/** The body as UTF-8 text, or `undefined` if it is longer than the cap or fails mid-read. */
async function readCappedText(response: Response): Promise<string | undefined> {
  const body = response.body;
  if (body === null) return '';
  // the fetch body stream yields bytes; its declared type is `any`
  const reader: ReadableStreamDefaultReader<Uint8Array> = body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return Buffer.concat(chunks, length).toString('utf8');
      length += value.byteLength;
      if (length > MAX_ERROR_BODY_BYTES) {
        // not awaited: cancelling one branch of a clone settles only once the caller's branch ends
        reader.cancel().catch(() => undefined);
        return undefined;
      }
      chunks.push(value);
    }
  } catch {
    return undefined;
  }
}
