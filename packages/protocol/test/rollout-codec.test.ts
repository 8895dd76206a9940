import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AgentIdentityError,
  RolloutLine,
  RolloutLineError,
  type RolloutLineErrorReason,
  decodeRolloutLine,
  decodeRolloutLines,
  decodeRolloutLinesStrict,
  encodeRolloutLine,
  encodeSessionStateLine,
  isKnownRolloutLine,
  isSessionStateLine,
  newestAgentTaskOfLines,
  sessionStateLine,
  tryDecodeRolloutLine,
} from '../src/index.js';
import { thrownBy } from './thrown-by.js';

const fixtureText = readFileSync(new URL('fixtures/codex-rollout-sample.jsonl', import.meta.url), 'utf8');
const fixtureLines = fixtureText.split('\n').filter((line) => line !== '');

const task123 = { agent_runtime_id: 'agent-123', task_id: 'task_123', registered_at: '2026-04-19T22:45:28Z' };

function rejection(text: string, lineNumber = 7): RolloutLineError {
  const result = tryDecodeRolloutLine(text, lineNumber);
  if (result.ok) throw new Error('expected the line to be rejected');
  return result.error;
}

function expectRejected(text: string, reason: RolloutLineErrorReason, lineNumber = 7): RolloutLineError {
  const error = rejection(text, lineNumber);
  expect(error.code).toBe('ROLLOUT_LINE_INVALID');
  expect(error.reason).toBe(reason);
  expect(error.lineNumber).toBe(lineNumber);
  expect(error.message.startsWith(`rollout line ${lineNumber}: `)).toBe(true);
  return error;
}

describe('the Codex rollout fixture', () => {
  it('decodes every line to a value deep-equal to its JSON', () => {
    expect(fixtureLines).toHaveLength(16);
    fixtureLines.forEach((text, index) => {
      expect(decodeRolloutLine(text, index + 1)).toEqual(JSON.parse(text));
    });
  });

  it('re-encodes every line byte for byte', () => {
    fixtureLines.forEach((text, index) => {
      expect(encodeRolloutLine(decodeRolloutLine(text, index + 1))).toBe(text);
    });
  });

  it('reads and writes back the whole file without a change', () => {
    const { lines, errors } = decodeRolloutLines(fixtureText);
    expect(errors).toEqual([]);
    expect(lines.map((line) => encodeRolloutLine(line) + '\n').join('')).toBe(fixtureText);
  });

  it('keeps the unknown variant as an opaque line, not an error', () => {
    const { lines } = decodeRolloutLines(fixtureText);
    const last = lines.at(-1)!;
    expect(last.type).toBe('a_variant_from_a_newer_version');
    expect(isKnownRolloutLine(last)).toBe(false);
    expect(last.payload).toEqual({ anything: true });
  });

  it('keeps unknown fields of known variants', () => {
    const { lines } = decodeRolloutLines(fixtureText);
    const taskComplete = lines.find(
      (line) => line.type === 'event_msg' && (line.payload as { type?: unknown }).type === 'task_complete',
    )!;
    expect(taskComplete.payload).toHaveProperty('a_field_from_a_newer_version', { x: 1 });
    expect(encodeRolloutLine(taskComplete)).toContain('"a_field_from_a_newer_version":{"x":1}');
  });

  it('types every known variant it contains', () => {
    const { lines } = decodeRolloutLines(fixtureText);
    const types = new Set(lines.filter(isKnownRolloutLine).map((line) => line.type));
    expect([...types].sort()).toEqual([
      'compacted',
      'event_msg',
      'response_item',
      'session_meta',
      'session_state',
      'turn_context',
    ]);
    const meta = lines[0]!;
    if (!isKnownRolloutLine(meta) || meta.type !== 'session_meta') throw new Error('first line is not session_meta');
    expect(meta.payload.id).toBe('0199a0f0-1111-7aaa-8bbb-123456789abc');
  });

  it('gives task_456 as the newest session state', () => {
    expect(newestAgentTaskOfLines(decodeRolloutLines(fixtureText).lines)).toEqual({
      agent_runtime_id: 'agent-123',
      task_id: 'task_456',
      registered_at: '2026-04-19T23:12:04Z',
    });
  });
});

describe('the RolloutLine schema', () => {
  it('accepts every fixture line, as the codec does', () => {
    for (const text of fixtureLines) expect(RolloutLine.safeParse(JSON.parse(text)).success).toBe(true);
  });

  it('does not let a known type with a bad payload pass as an opaque line', () => {
    const bad = { timestamp: 't', type: 'session_state', payload: { agent_task: 'task_123' } };
    expect(RolloutLine.safeParse(bad).success).toBe(false);
    expect(RolloutLine.safeParse({ timestamp: 't', type: 'a_new_variant' }).success).toBe(true);
  });
});

describe('encodeSessionStateLine', () => {
  it('writes SPEC §2.1 task line byte for byte', () => {
    expect(encodeSessionStateLine(task123, Date.UTC(2026, 3, 19, 22, 45, 29, 1))).toBe(
      '{"timestamp":"2026-04-19T22:45:29.001Z","type":"session_state","payload":{"agent_task":{"agent_runtime_id":"agent-123","task_id":"task_123","registered_at":"2026-04-19T22:45:28Z"}}}',
    );
  });

  it('writes SPEC §2.1 cleared line byte for byte', () => {
    expect(encodeSessionStateLine(null, Date.UTC(2026, 3, 19, 23, 10, 2, 417))).toBe(
      '{"timestamp":"2026-04-19T23:10:02.417Z","type":"session_state","payload":{"agent_task":null}}',
    );
  });

  it('writes the task fields in SPEC order and drops extra keys', () => {
    const task = {
      registered_at: task123.registered_at,
      extra: 'x',
      task_id: 'task_123',
      agent_runtime_id: 'agent-123',
    };
    expect(encodeSessionStateLine(task, Date.UTC(2026, 3, 19, 22, 45, 29, 1))).toBe(fixtureLines[4]);
  });

  it('refuses a task that would not read back (SESSION_AGENT_TASK_INVALID)', () => {
    const badTask = { ...task123, task_id: 5 } as unknown as typeof task123;
    const error = thrownBy(() => sessionStateLine(badTask, 0));
    expect(AgentIdentityError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'SESSION_AGENT_TASK_INVALID' });
    expect((error as AgentIdentityError).message).toContain('session agent task task_id must be');
  });

  it('writes lines that decode back to the same task', () => {
    const line = decodeRolloutLine(encodeSessionStateLine(task123, 0), 1);
    expect(isSessionStateLine(line) && line.payload.agent_task).toEqual(task123);
  });
});

describe('session_state payloads', () => {
  const line = (payload: string) =>
    `{"timestamp":"2026-04-19T22:45:29.001Z","type":"session_state","payload":${payload}}`;

  it('reads a payload without agent_task as cleared', () => {
    expect(newestAgentTaskOfLines([decodeRolloutLine(line('{}'), 1)])).toBeNull();
  });

  it('keeps unknown payload and task keys on the decoded line', () => {
    const text = line(
      '{"agent_task":{"agent_runtime_id":"a","task_id":"t","registered_at":"2026-04-19T22:45:28Z","background":1},"later":true}',
    );
    expect(encodeRolloutLine(decodeRolloutLine(text, 1))).toBe(text);
  });
});

describe('newestAgentTaskOfLines', () => {
  it('is undefined when there is no state line', () => {
    const { lines } = decodeRolloutLines(fixtureLines.filter((text) => !text.includes('"session_state"')).join('\n'));
    expect(newestAgentTaskOfLines(lines)).toBeUndefined();
    expect(newestAgentTaskOfLines([])).toBeUndefined();
  });

  it('is null when the newest state line clears the task', () => {
    const { lines } = decodeRolloutLines(fixtureLines.slice(0, 13).join('\n'));
    expect(newestAgentTaskOfLines(lines)).toBeNull();
  });
});

describe('bad rollout lines', () => {
  it('not_json: truncated JSON, without echoing the content', () => {
    const error = expectRejected(
      '{"timestamp":"x","type":"response_item","payload":{"text":"my secret plan',
      'not_json',
    );
    expect(error.message).toBe('rollout line 7: is not valid JSON');
    expect(error.cause).toBeUndefined();
  });

  it('not_object: arrays, strings, numbers, null', () => {
    for (const text of ['[1,2]', '"a string"', '42', 'null', 'true']) expectRejected(text, 'not_object');
  });

  it('invalid_envelope: missing timestamp, non-string type', () => {
    expect(expectRejected('{"type":"event_msg","payload":{"type":"x"}}', 'invalid_envelope').message).toBe(
      'rollout line 7: timestamp must be a string',
    );
    expect(expectRejected('{"timestamp":"t","type":3,"payload":{}}', 'invalid_envelope').message).toBe(
      'rollout line 7: type must be a string',
    );
  });

  it('invalid_session_state: names the field that is wrong', () => {
    const cases: [string, string][] = [
      [
        '{"agent_task":{"agent_runtime_id":"a","task_id":5,"registered_at":"2026-04-19T22:45:28Z"}}',
        'session_state payload agent_task.task_id must be a string',
      ],
      [
        '{"agent_task":{"task_id":"t","registered_at":"2026-04-19T22:45:28Z"}}',
        'session_state payload agent_task.agent_runtime_id must be a string',
      ],
      [
        '{"agent_task":{"agent_runtime_id":"a","task_id":"t","registered_at":null}}',
        'session_state payload agent_task.registered_at must be a string',
      ],
      ['{"agent_task":"task_123"}', 'session_state payload agent_task must be an object'],
      ['[]', 'session_state payload must be an object'],
    ];
    for (const [payload, message] of cases) {
      const error = expectRejected(
        `{"timestamp":"t","type":"session_state","payload":${payload}}`,
        'invalid_session_state',
      );
      expect(error.message).toContain(`rollout line 7: ${message}`);
    }
    expectRejected('{"timestamp":"t","type":"session_state"}', 'invalid_session_state');
  });

  it('invalid_payload: the fields we read on other variants', () => {
    expect(
      expectRejected('{"timestamp":"t","type":"session_meta","payload":{"cwd":"/x"}}', 'invalid_payload').message,
    ).toBe('rollout line 7: session_meta payload id must be a string');
    expectRejected('{"timestamp":"t","type":"response_item","payload":{"role":"user"}}', 'invalid_payload');
    expectRejected('{"timestamp":"t","type":"event_msg","payload":{"type":1}}', 'invalid_payload');
    expectRejected('{"timestamp":"t","type":"compacted","payload":"summary"}', 'invalid_payload');
    expectRejected('{"timestamp":"t","type":"turn_context"}', 'invalid_payload');
  });

  it('decodeRolloutLine throws the typed error', () => {
    expect(() => decodeRolloutLine('nope', 3)).toThrow(RolloutLineError);
    expect(() => decodeRolloutLine('nope', 3)).toThrow('rollout line 3: is not valid JSON');
  });
});

describe('decodeRolloutLines', () => {
  it('reports a torn last line (no trailing newline) with its line number and keeps the rest', () => {
    const torn = fixtureText + '{"timestamp":"2026-04-19T23:12:08.000Z","type":"session_state","payload":{"agent_ta';
    const { lines, errors } = decodeRolloutLines(torn);
    expect(lines).toHaveLength(16);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.lineNumber).toBe(17);
    expect(errors[0]!.reason).toBe('not_json');
  });

  it('decodes a complete last line without a trailing newline', () => {
    const { lines, errors } = decodeRolloutLines(fixtureText.trimEnd());
    expect(errors).toEqual([]);
    expect(lines).toHaveLength(16);
  });

  it('skips blank lines but counts them in line numbers, and accepts CRLF', () => {
    const text = `\n${fixtureLines[0]!}\r\n   \n\nnot json\n${fixtureLines[1]!}\n`;
    const { lines, errors } = decodeRolloutLines(text);
    expect(lines).toHaveLength(2);
    expect(errors.map((error) => error.lineNumber)).toEqual([5]);
  });

  it('decodeRolloutLinesStrict returns the lines or throws the first error', () => {
    expect(decodeRolloutLinesStrict(fixtureText)).toHaveLength(16);
    const text = `${fixtureLines[0]!}\n[1]\nnot json\n`;
    expect(() => decodeRolloutLinesStrict(text)).toThrow('rollout line 2: is not a JSON object');
  });
});

describe('decodeRolloutLine properties', () => {
  const isTyped = (error: unknown) => RolloutLineError.isInstance(error);

  it('never throws anything but RolloutLineError on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.nat(), (text, lineNumber) => {
        try {
          decodeRolloutLine(text, lineNumber);
        } catch (error) {
          expect(isTyped(error)).toBe(true);
        }
      }),
    );
  });

  it('never throws anything but RolloutLineError on arbitrary JSON-shaped lines', () => {
    const types = fc.constantFrom(
      'session_meta',
      'session_state',
      'response_item',
      'compacted',
      'turn_context',
      'event_msg',
      'other',
    );
    const lineValues = fc.oneof(
      fc.jsonValue(),
      fc.record({ timestamp: fc.jsonValue(), type: types, payload: fc.jsonValue() }, { requiredKeys: [] }),
      fc.record({
        timestamp: fc.string(),
        type: fc.constant('session_state'),
        payload: fc.record({ agent_task: fc.jsonValue() }),
      }),
    );
    fc.assert(
      fc.property(lineValues, (value) => {
        const text = JSON.stringify(value);
        let line: RolloutLine;
        try {
          line = decodeRolloutLine(text, 1);
        } catch (error) {
          expect(isTyped(error)).toBe(true);
          return;
        }
        // What decodes re-encodes to the same JSON.
        expect(encodeRolloutLine(line)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});
