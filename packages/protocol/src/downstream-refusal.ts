import type { DownstreamRejectionCode } from './responses-events.js';

/**
 * What a client can do about a downstream 401 (SPEC §3.8) before handing it to its caller:
 * - `reregister` — the assertion named a task (or agent) the service will not take any more; a task
 *   registered now heals it: invalidate the cached task, register a new one, send once more.
 * - `correct_clock` — the assertion's timestamp was outside the service's window; a clock corrected
 *   from the answer's `Date` heals it: sign once more on the corrected clock.
 * - `none` — nothing the client does automatically changes the answer.
 */
export type DownstreamRefusalRemedy = 'reregister' | 'correct_clock' | 'none';

/**
 * The one table of remedies, exhaustive over {@link DownstreamRejectionCode}: a new code does not
 * compile until someone decides what heals it.
 */
const REMEDIES: Readonly<Record<DownstreamRejectionCode, DownstreamRefusalRemedy>> = {
  // The task was revoked: a new task is not.
  task_invalid: 'reregister',
  // The service does not know the task (it lost it — a backend reset or restore — or it was
  // registered elsewhere): a task registered now is known to it.
  unknown_task: 'reregister',
  // The service does not know the agent (revoked, or lost). Registering a task then reaches the
  // backend, which answers 404 `unknown_agent`, and core replaces the identity before registering
  // the task: the new task belongs to an agent the service knows.
  unknown_agent: 'reregister',
  // The signed second is too old / too new: the clock, not the task.
  expired: 'correct_clock',
  from_future: 'correct_clock',
  // The signature does not verify with the key the service holds for this runtime id: a new task
  // would be signed by the same key and fail alike. Replacing the identity might help, but deleting
  // an identity on a downstream service's word is too destructive a guess (core does it only on the
  // backend's explicit 404 `unknown_agent`).
  bad_signature: 'none',
  // Our header is not a well-formed assertion: a bug, which a retry repeats.
  malformed_assertion: 'none',
  // A bearer token the service does not know, or another scheme: the login's business (a token
  // refresh), not the agent identity's.
  invalid_token: 'none',
  // Nothing was sent: there is no task or agent to heal.
  missing_authorization: 'none',
  // The current profile's `ChatGPT-Account-ID` names another account than the agent's
  // (CODEX-CURRENT.md): a configuration error, which a new task would repeat.
  account_mismatch: 'none',
};

/** The codes of {@link DownstreamRefusalRemedy} `reregister`. */
export type ReregistrationRefusalCode = 'task_invalid' | 'unknown_task' | 'unknown_agent';

/** The codes of {@link DownstreamRefusalRemedy} `correct_clock`. */
export type ClockSkewRefusalCode = 'expired' | 'from_future';

/**
 * The remedy for a downstream refusal's `error.code` (see {@link DownstreamRefusalRemedy}); `none`
 * for a code that is not one of SPEC §3.8's, or no code at all.
 */
export function downstreamRefusalRemedy(code: string | undefined): DownstreamRefusalRemedy {
  return code !== undefined && Object.hasOwn(REMEDIES, code) ? REMEDIES[code as DownstreamRejectionCode] : 'none';
}

/**
 * Whether a downstream 401 with this `error.code` is healed by registering a new task (the thread's
 * task invalidated first): `task_invalid`, `unknown_task`, `unknown_agent`. Never `bad_signature`,
 * `expired`, `from_future`, `malformed_assertion`, `invalid_token` or `missing_authorization`: a new
 * task would be refused alike (why, code by code, in this file's table).
 */
export function isReregistrationRefusal(code: string | undefined): code is ReregistrationRefusalCode {
  return downstreamRefusalRemedy(code) === 'reregister';
}

/**
 * Whether a 401 with this `error.code` refused the signed timestamp for the server's window:
 * `expired` or `from_future`. Only a clock corrected since signing makes a second try worth it.
 */
export function isClockSkewRefusal(code: string | undefined): code is ClockSkewRefusalCode {
  return downstreamRefusalRemedy(code) === 'correct_clock';
}
