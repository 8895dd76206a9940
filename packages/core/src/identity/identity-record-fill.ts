import { decodeIdTokenClaims, type AgentIdentityRecordFill, type AuthFileObject } from '@agent-identity/protocol';
import type { ChatGptLogin } from '../stores/login.js';

/**
 * What the union record (CODEX-CURRENT) takes from a login that a 0.122 record lacks: the ID
 * token's `email` and `chatgpt_plan_type`. FedRAMP is never inferred (default `false`).
 */
export function recordFillOfLogin(login: ChatGptLogin): AgentIdentityRecordFill {
  return { email: login.email, planType: login.planType };
}

/**
 * The same, read from the auth file the record lives in (`tokens.id_token`); a file without a
 * readable ID token fills nothing (the defaults apply). The login source reports a broken token.
 */
export function recordFillOf(document: AuthFileObject | undefined): AgentIdentityRecordFill {
  const tokens = document?.tokens;
  if (typeof tokens !== 'object' || tokens === null) return {};
  const idToken = (tokens as Record<string, unknown>).id_token;
  if (typeof idToken !== 'string') return {};
  try {
    const claims = decodeIdTokenClaims(idToken);
    return { email: claims.email, planType: claims.chatgptPlanType };
  } catch {
    return {};
  }
}
