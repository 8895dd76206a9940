import type { AgentThread } from '@agent-identity/core';
import { ApiBridgeError } from './api-bridge-error.js';
import type { AgentFetchOptions } from './agent-fetch.js';

function optionsInvalid(message: string): ApiBridgeError {
  return new ApiBridgeError('OPTIONS_INVALID', message);
}

/**
 * `createAgentFetch`'s arguments, checked when the wrapper is made rather than at its first
 * request (where a missing thread would be a `TypeError` from deep inside): `OPTIONS_INVALID`.
 */
export function checkAgentFetchArguments(thread: AgentThread, options: AgentFetchOptions): void {
  const given: unknown = thread;
  if (typeof given !== 'object' || given === null || !('downstreamRequest' in given) || !('beginTurn' in given)) {
    throw optionsInvalid('createAgentFetch needs the thread (runtime.startThread() or resumeThread())');
  }
  const fetch: unknown = options.fetch;
  if (fetch !== undefined && typeof fetch !== 'function') throw optionsInvalid('options.fetch must be a function');
  const timeoutMs: unknown = options.refusalReadTimeoutMs;
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0)) {
    throw optionsInvalid('options.refusalReadTimeoutMs must be a positive number');
  }
}
