import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli-process.js';

describe('agent-cli --help', () => {
  it.each([
    [['--help'], 'Usage: agent-cli <command> [options]'],
    [['demo', '--help'], 'Usage: agent-cli demo'],
    [['identity', '--help'], 'agent-cli identity show'],
    [['thread', 'start', '--help'], 'agent-cli thread start'],
    [['turn', '-h'], 'Usage: agent-cli turn <thread-id> <message>'],
    [['assert', '--help'], 'Usage: agent-cli assert <thread-id>'],
    [['verify', '--help'], 'Usage: agent-cli verify <header>'],
  ])('%j prints the usage and exits 0', async (args, usage) => {
    const { code, stdout, stderr } = await runCli(args);

    expect(code).toBe(0);
    expect(stdout).toContain(usage);
    expect(stderr).toBe('');
    if (args[0] !== '--help') expect(stdout).toContain('--home <dir>');
  });
});
