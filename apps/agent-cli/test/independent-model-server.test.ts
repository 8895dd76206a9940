import { COMPLETING_STREAMS, FAILING_STREAMS, ScriptedModelServer } from '@agent-identity/test-bed';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThreadReport, TurnReport } from '../src/json-reports.js';
import { runCli, runCliJson, STACK_LINE } from './support/cli-process.js';
import { cliTestBed, type CliTestBed } from './support/test-bed.js';

/**
 * `agent-cli turn` (HTTP and `--ws`) against a model server that is not the reference backend
 * (SPEC §3.8: clients are liberal in what they accept). The identity backend is the reference
 * one; the model endpoint is `--responses-url` a small server that sends exactly the scripted
 * streams of `@agent-identity/test-bed`.
 */
describe.each([
  ['HTTP/SSE', []],
  ['WebSocket', ['--ws']],
] as const)('agent-cli turn over %s against an independent model server', (transport, transportFlags) => {
  let bed: CliTestBed;
  let model: ScriptedModelServer;
  let threadId: string;
  let turnArgs: (message: string) => string[];

  beforeAll(async () => {
    bed = await cliTestBed();
    model = await ScriptedModelServer.start();
    threadId = ThreadReport.parse(await runCliJson(['thread', 'start', ...bed.flags])).thread_id;
    turnArgs = (message) => ['turn', threadId, message, ...transportFlags, ...bed.flags, '--responses-url', model.url];
  });
  afterAll(async () => {
    await model.close();
    await bed[Symbol.asyncDispose]();
  });

  it.each(COMPLETING_STREAMS.map((stream) => [stream.name, stream] as const))(
    'completes a turn on %s',
    async (_name, stream) => {
      model.play(stream);
      const turn = TurnReport.parse(await runCliJson(turnArgs(`please answer: ${stream.name}`)));

      expect(turn.output_text).toBe(stream.text);
      expect(turn.auth_scheme).toBe('assertion');
      expect(model.calls.at(-1)).toMatchObject({
        transport: transportFlags.length === 0 ? 'http' : 'ws',
        path: '/v1/responses',
        authorization: expect.stringMatching(/^AgentAssertion [\w-]+$/) as unknown,
      });
    },
  );

  it('prints an answer that came without deltas (only output_item.done) in text mode too', async () => {
    const itemOnly = COMPLETING_STREAMS.find((stream) => !stream.deltas);
    if (itemOnly === undefined) throw new Error('the table has no stream without deltas');
    model.play(itemOnly);
    const { code, stdout, stderr } = await runCli(turnArgs('no deltas'));

    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.startsWith(`› ${itemOnly.text}\n`)).toBe(true);
  });

  it.each(FAILING_STREAMS.map((stream) => [stream.name, stream] as const))(
    'fails the turn with what happened on %s',
    async (_name, stream) => {
      model.play(stream);
      const { code, stderr } = await runCli(turnArgs(`please fail: ${stream.name}`));

      expect(code).toBe(1);
      expect(stderr).not.toMatch(STACK_LINE);
      if (stream.serverMessage !== undefined) {
        expect(stderr).toContain(stream.serverMessage);
      } else if (transport === 'HTTP/SSE') {
        expect(stderr).toContain('the model stream ended before a terminal event');
      } else {
        expect(stderr).toContain('closed with code 1000 (stream over) before the response completed');
      }
    },
  );
});
