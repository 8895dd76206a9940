import type { Logger } from '../src/logger.js';

/** A logger that keeps the warning messages, for tests that assert a warning was (not) logged. */
export function recordingLogger(): Logger & { readonly warnings: string[] } {
  const warnings: string[] = [];
  const ignore = (): void => undefined;
  return { warnings, debug: ignore, info: ignore, error: ignore, warn: (message) => warnings.push(message) };
}
