import { BISCUIT_RESPONSE_HEADER } from '@agent-identity/protocol';
import type { FetchFunction } from '../../src/runtime/options.js';

export interface RecordedCall {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  readonly body: string | undefined;
}

/**
 * A real `fetch` that records every call the runtime makes and every biscuit it receives, and can
 * run a hook before a call goes out (to change the world at an exact point of a registration).
 * `rewriteHeaders` edits a response's headers before the runtime sees them: only for the ones
 * that carry time (`Date`, `Retry-After`), i.e. to fake the backend's clock as the client sees it.
 */
export class RecordingFetch {
  readonly calls: RecordedCall[] = [];
  readonly biscuits: string[] = [];
  beforeCall: ((call: RecordedCall) => Promise<void> | void) | undefined;
  rewriteHeaders: ((call: RecordedCall, headers: Headers) => void) | undefined;

  readonly fetch: FetchFunction = async (input, init) => {
    const call: RecordedCall = {
      method: init.method ?? 'GET',
      url: input,
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? init.body : undefined,
    };
    this.calls.push(call);
    await this.beforeCall?.(call);
    const response = await globalThis.fetch(input, init);
    const biscuit = response.headers.get(BISCUIT_RESPONSE_HEADER);
    if (biscuit !== null) this.biscuits.push(biscuit);
    if (this.rewriteHeaders === undefined) return response;
    const headers = new Headers(response.headers);
    this.rewriteHeaders(call, headers);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };

  callsTo(pathSuffix: string): RecordedCall[] {
    return this.calls.filter((call) => new URL(call.url).pathname.endsWith(pathSuffix));
  }
}
