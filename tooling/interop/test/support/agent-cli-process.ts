import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { runChild, type ChildRun } from './child-run.js';

const agentCliDir = dirname(createRequire(import.meta.url).resolve('@agent-identity/agent-cli/package.json'));

/** Bounds each agent-cli process: a command against the local backend takes a second or two. */
const agentCliTimeoutMs = 60_000;

/** Where agent-cli runs: a Codex home and the backend's base URL. */
export interface AgentCliPlace {
  readonly home: string;
  readonly baseUrl: string;
}

/**
 * A TypeScript file of agent-cli (relative to the app: `src/cli.ts`, `examples/…`) as a real child
 * process from source, as agent-cli's own tests run it, on `place` (`CODEX_HOME`,
 * `AGENT_IDENTITY_BASE_URL`, which its examples read).
 */
export function runAgentCliSource(file: string, args: readonly string[], place: AgentCliPlace): Promise<ChildRun> {
  return runChild(process.execPath, ['--import', 'tsx', '--conditions=@agent-identity/source', file, ...args], {
    cwd: agentCliDir,
    env: { PATH: process.env.PATH, HOME: place.home, CODEX_HOME: place.home, AGENT_IDENTITY_BASE_URL: place.baseUrl },
    timeoutMs: agentCliTimeoutMs,
  });
}

/** `agent-cli <args> --home <home> --base-url <baseUrl> --json`: its JSON report; throws with its stderr when it exits non-zero. */
export async function runAgentCliJson(args: readonly string[], place: AgentCliPlace): Promise<Record<string, unknown>> {
  const run = await runAgentCliSource(
    'src/cli.ts',
    [...args, '--home', place.home, '--base-url', place.baseUrl, '--json'],
    place,
  );
  if (run.code !== 0) throw new Error(`agent-cli ${args.join(' ')} exited with ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}
