import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgentFetch } from '@agent-identity/api-bridge';
import { closeRuntimeBeds, RuntimeBed } from '@agent-identity/test-bed';
import { GATEWAY_CREDENTIAL, GATEWAY_USER, SDK_API_KEY } from './support/gateway-bed.js';

const appDir = fileURLToPath(new URL('..', import.meta.url));

/** `agent-gateway` as a real child process, from its TypeScript source. */
function spawnGateway(args: readonly string[], env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', '--conditions=@agent-identity/source', 'src/cli.ts', ...args], {
    cwd: appDir,
    env: { ...process.env, ...env },
  });
}

async function output(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stderr };
}

/** Resolves to the first line the child prints on stdout. */
async function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  let text = '';
  child.stdout.setEncoding('utf8');
  for await (const chunk of child.stdout) {
    text += chunk as string;
    if (text.includes('\n')) return text.split('\n', 1)[0] ?? '';
  }
  throw new Error('the gateway printed no URL');
}

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await closeRuntimeBeds();
});

describe('agent-gateway, the command', () => {
  it('prints its URL; the openai SDK in this process streams a turn through the gateway process; SIGTERM ends it with 0', async () => {
    const bed = await RuntimeBed.start();
    const gateway = spawnGateway(['--upstream', bed.backend.baseUrl], {
      AGENT_GATEWAY_UPSTREAM_AUTHORIZATION: GATEWAY_CREDENTIAL,
    });
    children.push(gateway);
    const ended = output(gateway);
    const url = await firstLine(gateway);
    const thread = await bed.runtime().startThread();
    const turn = await bed.turnAuth(thread);
    const client = new OpenAI({
      apiKey: SDK_API_KEY,
      baseURL: `${url}/v1`,
      fetch: createAgentFetch(thread, { turn }),
      maxRetries: 0,
    });

    const response = await client.responses.stream({ model: 'gpt-5', input: 'via a process' }).finalResponse();
    gateway.kill('SIGTERM');

    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(response.output_text).toBe(`echo: via a process (user ${GATEWAY_USER.userId})`);
    expect(bed.backend.admin.requests()).toEqual([
      expect.objectContaining({ auth: 'bearer', userId: GATEWAY_USER.userId }),
    ]);
    const { code, stderr } = await ended;
    expect(code).toBe(0);
    expect(stderr).toContain(`dashboard ${url}/_gateway/`);
    expect(stderr).not.toContain(GATEWAY_CREDENTIAL);
  });

  it.each([
    ['without --upstream', [], { AGENT_GATEWAY_UPSTREAM_AUTHORIZATION: 'Bearer x' }, '--upstream is required'],
    [
      'without an upstream credential',
      ['--upstream', 'http://127.0.0.1:1'],
      {},
      'AGENT_GATEWAY_UPSTREAM_AUTHORIZATION',
    ],
    [
      'with an unknown flag',
      ['--upstream', 'http://127.0.0.1:1', '--bogus'],
      { AGENT_GATEWAY_UPSTREAM_AUTHORIZATION: 'Bearer x' },
      '--bogus',
    ],
  ])('%s: exit 2 and one line saying why', async (_name, args, env, reason) => {
    const gateway = spawnGateway(args, { AGENT_GATEWAY_UPSTREAM_AUTHORIZATION: '', ...env });
    children.push(gateway);

    const { code, stderr } = await output(gateway);

    expect(code).toBe(2);
    expect(stderr).toContain(reason);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
