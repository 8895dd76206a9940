import { randomBytes } from 'node:crypto';
import {
  BISCUIT_RESPONSE_HEADER,
  biscuitRequestId,
  biscuitUrl,
  ORIGINAL_METHOD_HEADER,
  ORIGINAL_URL_HEADER,
  REQUEST_ID_HEADER,
} from '@agent-identity/protocol';
import { BackendProcess } from './backend-process.js';
import type { LoadClient } from './load-generator.js';

/**
 * A biscuit for one `POST` to `targetUrl` (SPEC §3.2), minted over the load client for the
 * backend's user, as it goes over the wire with no runtime around it; `undefined` when the backend
 * minted none.
 */
export async function mintLoadBiscuit(
  client: LoadClient,
  baseUrl: string,
  targetUrl: string,
): Promise<string | undefined> {
  const minted = await client.send(biscuitUrl(baseUrl), {
    method: 'GET',
    headers: {
      authorization: `Bearer ${BackendProcess.user.accessToken}`,
      [REQUEST_ID_HEADER]: biscuitRequestId(randomBytes(16)),
      [ORIGINAL_METHOD_HEADER]: 'POST',
      [ORIGINAL_URL_HEADER]: targetUrl,
    },
  });
  const biscuit = minted.headers[BISCUIT_RESPONSE_HEADER.toLowerCase()];
  return minted.status === 200 && typeof biscuit === 'string' ? biscuit : undefined;
}
