import { writeCodexLogin } from '@agent-identity/core';
import { codexLoginTokens, type BackendUser } from '@agent-identity/reference-backend';

/**
 * Logs the demo user in the way Codex does: `auth.json` in the Codex home with `tokens` (SPEC
 * §2.2), written by core's `writeCodexLogin` (atomic, 0600 in a 0700 folder). The tokens are the
 * reference backend's `codexLoginTokens`, built here rather than asked of the backend's admin API
 * because the demo may run against a backend without one.
 */
export function writeDemoLogin(home: string, user: BackendUser, nowMs: number): Promise<string> {
  return writeCodexLogin({
    codexHome: home,
    tokens: codexLoginTokens(user, {
      issuedAtMs: nowMs,
      email: 'demo@example.com',
      refreshToken: 'demo-refresh-token',
    }),
    now: () => nowMs,
  });
}
