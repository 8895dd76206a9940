import { secretShapeOf } from '@agent-identity/telemetry-capture';
import { describe, expect, it } from 'vitest';
import { ThreadReport } from '../src/json-reports.js';
import { runCli, runCliJson } from './support/cli-process.js';
import { cliTestBed } from './support/test-bed.js';

/** The lines of the `--trace` tree on stderr, without durations (they vary). */
function traceLines(stderr: string): string[] {
  const tree = stderr.slice(stderr.indexOf('agent-cli: trace:\n') + 'agent-cli: trace:\n'.length);
  return tree
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.replace(/ \d+ms/, ''));
}

describe('agent-cli --trace and AGENT_IDENTITY_DEBUG', () => {
  it('thread start --trace prints the span tree of the prewarm; AGENT_IDENTITY_DEBUG=1 adds the debug log', async () => {
    await using bed = await cliTestBed();
    const run = await runCli(['thread', 'start', '--trace', ...bed.flags], { AGENT_IDENTITY_DEBUG: '1' });
    expect(run.code).toBe(0);
    const lines = traceLines(run.stderr);
    const names = lines.map((line) => line.replace(/^(\s*)(\S+).*$/, '$1$2'));
    expect(names).toEqual(['  prewarm', '    identity.ensure', '    task.register', '      identity.ensure']);
    expect(lines[0]).toContain('prewarm.outcome=ready');
    expect(lines[1]).toContain('identity.outcome=registered');
    expect(lines[2]).toContain('task.outcome=registered');
    expect(lines.map(secretShapeOf).filter((why) => why !== undefined)).toEqual([]);
    expect(run.stderr).toMatch(/agent-cli: debug: agent identity: task registered/);
  });

  it('turn --ws --trace shows the turn and the WebSocket dial; without the switch no debug log', async () => {
    await using bed = await cliTestBed();
    const thread = ThreadReport.parse(await runCliJson(['thread', 'start', ...bed.flags]));
    const run = await runCli(['turn', thread.thread_id, 'hello', '--ws', '--trace', ...bed.flags]);
    expect(run.code).toBe(0);
    const lines = traceLines(run.stderr);
    expect(lines.some((line) => /^ {2}turn\.begin .*turn\.task_source=cached/.test(line))).toBe(true);
    expect(lines.some((line) => /^ {2}ws\.dial .*ws\.handshakes=1/.test(line))).toBe(true);
    expect(lines.map(secretShapeOf).filter((why) => why !== undefined)).toEqual([]);
    expect(run.stderr).not.toMatch(/agent-cli: (debug|info):/);
  });
});
