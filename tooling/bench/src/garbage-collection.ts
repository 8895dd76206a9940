import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A full garbage collection when the bench runs with `--expose-gc` (its `bench` script does), then
 * a short pause for the collector's background threads, so that the garbage one measurement
 * leaves behind is not collected during the next one.
 */
export async function settle(): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  await sleep(20);
}
