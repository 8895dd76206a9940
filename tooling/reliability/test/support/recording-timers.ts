import type { Timers } from '@agent-identity/core';

/** Real timers that remember every delay asked for: proof of a Retry-After honoured, without timing. */
export class RecordingTimers implements Timers {
  readonly delays: number[] = [];

  setTimeout(callback: () => void, delayMs: number): unknown {
    this.delays.push(delayMs);
    return globalThis.setTimeout(callback, delayMs);
  }

  clearTimeout(handle: unknown): void {
    globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]);
  }
}
