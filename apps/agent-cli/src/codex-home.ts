import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The Codex home of `--home`, else `$CODEX_HOME`, else `~/.codex` (as Codex resolves it). */
export function resolveCodexHome(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const chosen = flag ?? nonEmpty(env.CODEX_HOME) ?? join(homedir(), '.codex');
  return resolve(chosen);
}

/** The login and the agent identity live in one file (SPEC §2.2). */
export function authFilePath(home: string): string {
  return join(home, 'auth.json');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
