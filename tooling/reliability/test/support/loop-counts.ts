/**
 * How hard the suite pushes, from the environment so that a local run can go much longer than CI:
 * `RELIABILITY_KILLS` (SIGKILL iterations per kill test) and `RELIABILITY_RUNS` (fast-check runs
 * per property against servers and files; pure properties run five times as many).
 */
function positiveInteger(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${text}`);
  return value;
}

export const KILL_ITERATIONS = positiveInteger('RELIABILITY_KILLS', 30);
export const PROPERTY_RUNS = positiveInteger('RELIABILITY_RUNS', 100);
export const PURE_PROPERTY_RUNS = PROPERTY_RUNS * 5;
/** The timeout of a test that runs a property against servers or files: longer runs get longer. */
export const PROPERTY_TEST_TIMEOUT_MS = Math.max(60_000, PROPERTY_RUNS * 100);
/**
 * The timeout of a kill loop, a guard against a hang and nothing more: each iteration starts a
 * process that loads the runtime from source through tsx — about 2 s on a quiet 2-core machine,
 * over 6 s when the rest of the suite and other jobs keep its cores busy (a loaded run timed out
 * at 6 s per iteration with every check green so far).
 */
export const KILL_TEST_TIMEOUT_MS = Math.max(120_000, KILL_ITERATIONS * 15_000);
