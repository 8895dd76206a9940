import { admitDownstream } from './downstream-acceptance.js';
import type { DownstreamCaller } from './downstream-auth.js';
import type { BackendContext } from './backend-context.js';
import { HttpError } from './http-error.js';
import type { HttpExchange } from './http-exchange.js';
import { sendJson } from './json-response.js';

/**
 * The ChatGPT account services a current Codex reads at start beside its turns (seen by running
 * Codex 0.171 against this backend): `GET {baseUrl}/wham/settings/user` and
 * `GET {baseUrl}/wham/accounts/check`. They take the same credentials as the model endpoint —
 * `Bearer` for a ChatGPT login, an `AgentAssertion` for a JWT identity (CODEX-CURRENT.md) — and
 * answer fixed, minimal documents: enough for Codex to go on, no settings of its own.
 */
async function admitted(exchange: HttpExchange): Promise<DownstreamCaller> {
  const authorization = await admitDownstream(exchange.request, 'http', exchange.context);
  if (!authorization.ok) throw new HttpError(401, authorization.code, authorization.message);
  return authorization.caller;
}

async function accountIdOf(caller: DownstreamCaller, context: BackendContext): Promise<string> {
  return caller.auth === 'bearer'
    ? caller.user.accountId
    : ((await context.registry.agent(caller.agentRuntimeId))?.accountId ?? '');
}

export async function handleUserSettings(exchange: HttpExchange): Promise<void> {
  await admitted(exchange);
  sendJson(exchange.response, 200, { commit_attribution_enabled: false });
}

export async function handleAccountsCheck(exchange: HttpExchange): Promise<void> {
  const accountId = await accountIdOf(await admitted(exchange), exchange.context);
  sendJson(exchange.response, 200, {
    accounts: { [accountId]: { account: { account_id: accountId, plan_type: 'plus', is_default: true } } },
    account_ordering: [accountId],
  });
}
