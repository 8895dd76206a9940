import type { FetchFunction } from '@agent-identity/core';
import { BISCUIT_RESPONSE_HEADER } from '@agent-identity/protocol';

/** The global `fetch`, remembering every biscuit the backend handed out through it. */
export class SpyFetch {
  readonly biscuits: string[] = [];

  readonly fetch: FetchFunction = async (input, init) => {
    const response = await globalThis.fetch(input, init);
    const biscuit = response.headers.get(BISCUIT_RESPONSE_HEADER);
    if (biscuit !== null && biscuit !== '') this.biscuits.push(biscuit);
    return response;
  };
}
