import type { StoredIdentity } from '@agent-identity/core';
import { CliError } from '../cli-error.js';
import type { CliSession } from '../cli-session.js';
import { runAction } from '../command-actions.js';
import { COMMON_OPTIONS_HELP, type Command, type Invocation } from '../command.js';
import type { IdentityReport } from '../json-reports.js';

const USAGE = `Usage:
  agent-cli identity show      the agent identity stored in auth.json for the current login
  agent-cli identity ensure    register one if there is none (SPEC §4.1), then show it
  agent-cli identity forget    remove it from auth.json (the backend keeps its record)

The private key is never printed.

${COMMON_OPTIONS_HELP}`;

export const identityCommand: Command = {
  name: 'identity',
  summary: 'show, ensure (register) or forget the agent identity of auth.json',
  usage: USAGE,
  options: {},
  run: (invocation) =>
    runAction(
      'identity',
      {
        show: { positionals: [], run: showIdentity },
        ensure: { positionals: [], run: ensureIdentity },
        forget: { positionals: [], run: forgetIdentity },
      },
      invocation,
    ),
};

async function showIdentity(session: CliSession, { output, settings }: Invocation): Promise<number> {
  await session.requireLogin();
  if (!settings.useAgentIdentity)
    throw new CliError('NO_IDENTITY', 'agent identity is off (--no-agent-identity): there is no identity to show');
  const { runtime, identityStore, authFile } = session.agent;
  const record = await identityStore.load(); // throws AUTH_FILE_CORRUPT for an unusable file
  if (record === undefined) {
    throw new CliError('NO_IDENTITY', `no agent identity in ${authFile} (\`agent-cli identity ensure\` registers one)`);
  }
  const identity = await runtime.currentIdentity();
  if (identity === undefined) {
    throw new CliError(
      'NO_IDENTITY',
      `the agent identity in ${authFile} (${record.agent_runtime_id}, workspace ${record.workspace_id}) is not usable for the current login: another workspace or user, or a broken key`,
    );
  }
  printIdentity(session, { output }, identity);
  return 0;
}

async function ensureIdentity(session: CliSession, { output, settings }: Invocation): Promise<number> {
  const login = await session.requireLogin();
  if (!settings.useAgentIdentity)
    throw new CliError('NO_IDENTITY', 'agent identity is off (--no-agent-identity): nothing to register');
  if (!session.identityApplies(login)) {
    throw new CliError(
      'NO_IDENTITY',
      'the login is not a ChatGPT login with an account (API-key auth): agent identity does not apply',
    );
  }
  const identity = await session.agent.runtime.ensureIdentity();
  if (identity === undefined)
    throw new CliError('NO_IDENTITY', 'no agent identity: the login changed while registering');
  printIdentity(session, { output }, identity, session.agent.registrations.counts.identity > 0);
  return 0;
}

async function forgetIdentity(session: CliSession, { output }: Invocation): Promise<number> {
  const { identityStore, authFile } = session.agent;
  const record = await identityStore.load();
  const forgotten = record !== undefined && (await identityStore.delete(record));
  output.result({ forgotten, agent_runtime_id: record?.agent_runtime_id ?? null, auth_file: authFile }, [
    forgotten
      ? `removed agent identity ${record.agent_runtime_id} from ${authFile}; threads' tasks of it will be cleared when they resume`
      : `no agent identity in ${authFile}`,
  ]);
  return 0;
}

function printIdentity(
  session: CliSession,
  { output }: Pick<Invocation, 'output'>,
  identity: StoredIdentity,
  registered?: boolean,
): void {
  const report: IdentityReport = {
    agent_runtime_id: identity.agentRuntimeId,
    workspace_id: identity.workspaceId,
    chatgpt_user_id: identity.chatgptUserId ?? null,
    public_key_ssh: identity.sshPublicKey,
    registered_at: identity.registeredAt,
    auth_file: session.agent.authFile,
    ...(registered === undefined ? {} : { registered_in_this_run: registered }),
  };
  output.result(report, [
    `agent runtime  ${report.agent_runtime_id}`,
    `workspace      ${report.workspace_id}`,
    `user           ${report.chatgpt_user_id ?? '(none)'}`,
    `public key     ${report.public_key_ssh}`,
    `registered at  ${report.registered_at}${registered === true ? ' (in this run)' : ''}`,
    `stored in      ${report.auth_file}`,
  ]);
}
