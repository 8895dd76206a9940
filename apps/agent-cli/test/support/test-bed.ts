import { startReferenceBackend, type ReferenceBackend } from '@agent-identity/reference-backend';
import { loggedInHome, type TempHome } from './codex-home.js';

/** A reference backend on port 0, a Codex home with its demo user logged in, and the CLI flags for both. */
export interface CliTestBed extends AsyncDisposable {
  readonly backend: ReferenceBackend;
  readonly home: TempHome;
  readonly flags: readonly string[];
}

export async function cliTestBed(): Promise<CliTestBed> {
  const backend = await startReferenceBackend();
  const home = await loggedInHome();
  return {
    backend,
    home,
    flags: ['--home', home.path, '--base-url', backend.baseUrl],
    [Symbol.asyncDispose]: async () => {
      await backend.close();
      await home[Symbol.asyncDispose]();
    },
  };
}
