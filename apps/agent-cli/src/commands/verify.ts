import { BackendAdminClient } from '@agent-identity/reference-backend';
import { usageError } from '../cli-error.js';
import { COMMON_OPTIONS_HELP, type Command } from '../command.js';

const USAGE = `Usage: agent-cli verify <header> --base-url <url>

Asks the backend whether an Authorization header ("AgentAssertion …") is valid right now: the
reference backend's verifier answers at POST /_admin/verify (at the root). Other backends do not offer
this, and the command says so. Exit code 0 when valid, 1 when not.

${COMMON_OPTIONS_HELP}`;

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'ask the (reference) backend whether an AgentAssertion header is valid',
  usage: USAGE,
  options: {},
  async run({ positionals, settings, output }) {
    // `AgentAssertion <token>` unquoted arrives as two arguments: it is still one header.
    const header = positionals.join(' ');
    if (header === '') throw usageError('verify: missing <header>');
    const verdict = await new BackendAdminClient({ url: settings.baseUrl }).verify(header);
    if (verdict.ok) {
      const { agentRuntimeId, taskId, timestamp } = verdict.identity;
      output.result(verdict, [`valid: agent ${agentRuntimeId}, task ${taskId}, signed at ${timestamp}`]);
      return 0;
    }
    output.result(verdict, [`invalid: ${verdict.reason} — ${verdict.message}`]);
    return 1;
  },
};
