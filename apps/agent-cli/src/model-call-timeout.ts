import { CliError } from './cli-error.js';

/** How long one turn's model call may take, answer streamed included. Codex's stream idle timeout. */
export const DEFAULT_MODEL_TIMEOUT_SECONDS = 300;

/**
 * Runs one model call with a deadline: `call` gets a signal that aborts when `timeoutSeconds` have
 * passed, and whatever it was waiting for — the answer's head, a refusal's body that stalls, the
 * stream — ends with `MODEL_TIMEOUT`, so a server that stalls never hangs the turn.
 */
export async function withModelTimeout<T>(
  timeoutSeconds: number,
  url: string,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(
      new CliError('MODEL_TIMEOUT', `the model endpoint ${url} did not answer within ${timeoutSeconds} s`),
    );
  }, timeoutSeconds * 1000);
  try {
    return await call(controller.signal);
  } catch (error) {
    // whatever the abort made the call throw (a refused-looking answer cut short, a closed socket)
    controller.signal.throwIfAborted();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
