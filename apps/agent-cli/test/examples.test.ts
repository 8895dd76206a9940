import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCliJson, runSource } from './support/cli-process.js';
import { cliTestBed } from './support/test-bed.js';

const appDir = dirname(dirname(fileURLToPath(import.meta.url)));
const examplesDir = join(appDir, 'examples');
const rootReadme = join(appDir, '..', '..', 'README.md');

describe('the README examples', () => {
  it('are quoted verbatim in the root README, every one of them', async () => {
    // The formatter puts a blank line between the marker comment and its code block.
    const readme = (await readFile(rootReadme, 'utf8')).replaceAll('-->\n\n```', '-->\n```');
    const names = (await readdir(examplesDir)).filter((name) => name.endsWith('.ts'));

    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const code = (await readFile(join(examplesDir, name), 'utf8')).trimEnd();
      expect(readme, name).toContain(`<!-- apps/agent-cli/examples/${name} -->\n\`\`\`ts\n${code}\n\`\`\``);
    }
  });

  it.each([
    ['protocol.ts', /^null 0\nagent-123 task-123 2026-03-23T12:00:00Z\n$/],
    ['crypto.ts', /^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI\S+\ntrue\nAgentAssertion [\w-]+\n$/],
    ['verifier.ts', /agentRuntimeId: 'agent-123',\n {2}taskId: 'task_123',[\s\S]*\nexpired\n$/],
    ['reference-backend.ts', /^http:\/\/127\.0\.0\.1:\d+\ntrue\n1\n$/],
  ])('%s runs and prints what its comments say', async (name, output) => {
    const { code, stdout, stderr } = await runSource(join('examples', name));

    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(output);
  });

  it.each([
    ['core.ts', /^assertion task_\w+\nAgentAssertion\ntrue\n$/],
    [
      'api-bridge.ts',
      /event: response\.output_text\.done\ndata: .*"text":"echo: hello \(agent agent-\w+, task task_\w+\)"[\s\S]*event: response\.completed\n/,
    ],
    ['transport-ws.ts', /^echo: hello \(agent agent-\w+, task task_\w+\)$/],
    ['openai-sdk.ts', /^echo: hello \(agent agent-\w+, task task_\w+\)$/],
  ])('%s runs against a reference backend on a Codex home', async (name, output) => {
    await using bed = await cliTestBed();

    const { code, stdout, stderr } = await runSource(join('examples', name), [], {
      CODEX_HOME: bed.home.path,
      AGENT_IDENTITY_BASE_URL: bed.backend.baseUrl,
    });

    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(output);
  });

  it('codex-cli.ts resumes a thread of the Codex home with its task, registering nothing', async () => {
    await using bed = await cliTestBed();
    const started = (await runCliJson(['thread', 'start', ...bed.flags])) as {
      thread_id: string;
      agent_task: { task_id: string };
    };
    const before = bed.backend.admin.counters();

    const { code, stdout, stderr } = await runSource(join('examples', 'codex-cli.ts'), [started.thread_id], {
      CODEX_HOME: bed.home.path,
      AGENT_IDENTITY_BASE_URL: bed.backend.baseUrl,
    });

    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(`${started.agent_task.task_id}\ntrue\n`);
    expect(bed.backend.admin.counters()).toMatchObject({
      agentRegistrations: before.agentRegistrations,
      taskRegistrations: before.taskRegistrations,
    });
  });
});
