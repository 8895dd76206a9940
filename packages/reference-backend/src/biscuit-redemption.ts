import { OPENAI_AUTHORIZATION_HEADER } from '@agent-identity/protocol';
import { singleHeader, type HttpExchange } from './http-exchange.js';
import type { BiscuitUser } from './biscuit-store.js';

/**
 * The user a registration call's biscuit speaks for. The biscuit must have been minted for this
 * very call: this method and the absolute URL the request arrived at. Else 401, biscuit spent.
 */
export function redeemBiscuit(exchange: HttpExchange): Promise<BiscuitUser> {
  const { request, context } = exchange;
  return context.biscuits.redeem(
    singleHeader(request, OPENAI_AUTHORIZATION_HEADER),
    request.method ?? '',
    exchange.url.href,
    context.options.now(),
  );
}
