import * as z from 'zod/mini';

/** The shape of the backend's refusals: `{"error": {"code": "…", …}}` (other fields ignored). */
const ErrorBody = z.object({ error: z.looseObject({ code: z.string() }) });

/**
 * The `error.code` of a response's parsed JSON body, or `undefined` when it is not that shape. It
 * decides the self-healing steps (an unknown agent, a time-window rejection), so only the exact
 * shape counts: a proxy's HTML 404 or a plain-text body never has a code. A code that contains
 * one of `secrets` (a server echoing the token) is dropped: errors never carry a secret.
 */
export function responseErrorCode(json: unknown, secrets: readonly string[]): string | undefined {
  const parsed = ErrorBody.safeParse(json);
  if (!parsed.success) return undefined;
  const code = parsed.data.error.code;
  return secrets.some((secret) => secret !== '' && code.includes(secret)) ? undefined : code;
}
