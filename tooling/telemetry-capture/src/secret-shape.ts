/**
 * Why `value` looks like a secret (a key, token, biscuit, assertion or signature), or `undefined`.
 * Telemetry may carry ids, counts, durations and reason codes only: these shapes never occur in
 * them. Random base64 of 24+ characters mixes digits and both cases; codes (`TASK_INVALID`) and
 * UUIDs (hex runs of 12 at most between dashes) do not match.
 */
export function secretShapeOf(value: string): string | undefined {
  if (/AgentAssertion /.test(value)) return 'an AgentAssertion header';
  if (/bearer /i.test(value)) return 'a bearer credential';
  if (/-----BEGIN /.test(value)) return 'a PEM block';
  if (/eyJ[\w-]+\.[\w-]+\./.test(value)) return 'a JWT';
  if (/[0-9a-f]{24,}/i.test(value)) return 'a long hex run';
  for (const run of value.match(/[A-Za-z0-9+/=_-]{24,}/g) ?? []) {
    if (/\d/.test(run) && /[a-z]/.test(run) && /[A-Z]/.test(run)) return 'a long base64 run';
  }
  return undefined;
}
