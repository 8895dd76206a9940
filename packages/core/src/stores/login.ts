/**
 * Who is logged in (SPEC §2.3). Only a ChatGPT login can have a binding; API-key auth never does,
 * so with it every agent-identity entry point quietly returns "nothing".
 */
export type Login = ChatGptLogin | ApiKeyLogin;

export interface ChatGptLogin {
  readonly mode: 'chatgpt';
  /** Secret: sent as `Authorization: Bearer` to mint biscuits; never logged. */
  readonly accessToken: string;
  /** The login's ChatGPT account (workspace) id. */
  readonly accountId?: string | undefined;
  /** The ID token's `chatgpt_user_id` claim. */
  readonly userId?: string | undefined;
  /** The ID token's `email` claim: the union record's `email` (CODEX-CURRENT). */
  readonly email?: string | undefined;
  /** The ID token's `chatgpt_plan_type` claim: the union record's `plan_type`. */
  readonly planType?: string | undefined;
}

export interface ApiKeyLogin {
  readonly mode: 'api_key';
  /** Secret: sent as `Authorization: Bearer` downstream; never logged. */
  readonly apiKey: string;
}
