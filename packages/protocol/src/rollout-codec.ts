import { RolloutLineError, type RolloutLineErrorReason } from './errors.js';
import { type RolloutLine, rolloutPayloadSchemas, sessionStateLine } from './rollout-line.js';
import { describeSchemaIssue } from './schema-issue.js';
import type { SessionAgentTask } from './session-state.js';

/**
 * The JSONL codec of rollout files (SPEC §2.1). Decoding validates and then returns the parsed
 * JSON value itself, typed as its line variant: rebuilding it through zod would reorder or strip
 * keys, and a Codex rollout read and written back must lose nothing.
 */

export type RolloutLineDecodeResult = { ok: true; line: RolloutLine } | { ok: false; error: RolloutLineError };

function failure(lineNumber: number, reason: RolloutLineErrorReason, detail: string): RolloutLineDecodeResult {
  return { ok: false, error: new RolloutLineError(lineNumber, reason, detail) };
}

/** Decodes one line (without its `\n`); a bad line is a result, never an exception. */
export function tryDecodeRolloutLine(text: string, lineNumber: number): RolloutLineDecodeResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return failure(lineNumber, 'not_json', 'is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return failure(lineNumber, 'not_object', 'is not a JSON object');
  }
  const { timestamp, type, payload } = value as Record<string, unknown>;
  if (typeof timestamp !== 'string') {
    return failure(lineNumber, 'invalid_envelope', 'timestamp must be a string');
  }
  if (typeof type !== 'string') {
    return failure(lineNumber, 'invalid_envelope', 'type must be a string');
  }
  const payloadSchema = rolloutPayloadSchemas.get(type);
  if (payloadSchema !== undefined) {
    const result = payloadSchema.safeParse(payload);
    const issue = result.error?.issues[0];
    if (issue !== undefined) {
      return failure(
        lineNumber,
        type === 'session_state' ? 'invalid_session_state' : 'invalid_payload',
        describeSchemaIssue(`${type} payload`, issue.path, issue),
      );
    }
  }
  // Validated above against the schema of its `type` (or opaque: any other `type`); zod's
  // schemas here have no transforms, so the parsed value has exactly the inferred type.
  return { ok: true, line: value as RolloutLine };
}

/** Decodes one line (without its `\n`), or throws {@link RolloutLineError}. */
export function decodeRolloutLine(text: string, lineNumber: number): RolloutLine {
  const result = tryDecodeRolloutLine(text, lineNumber);
  if (!result.ok) throw result.error;
  return result.line;
}

const NON_BLANK = /\S/;

/** Calls `visit` for each non-blank line with its 1-based number; stops when it returns false. */
function forEachRolloutLine(text: string, visit: (result: RolloutLineDecodeResult) => boolean): void {
  let start = 0;
  let lineNumber = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    lineNumber += 1;
    const lineText = text.slice(start, end);
    if (NON_BLANK.test(lineText) && !visit(tryDecodeRolloutLine(lineText, lineNumber))) return;
    start = end + 1;
  }
}

/**
 * Decodes a whole rollout: blank lines skipped, a last line without `\n` decoded like the others
 * (a torn last line from a crash mid-append shows up in `errors` with its line number).
 */
export function decodeRolloutLines(text: string): { lines: RolloutLine[]; errors: RolloutLineError[] } {
  const lines: RolloutLine[] = [];
  const errors: RolloutLineError[] = [];
  forEachRolloutLine(text, (result) => {
    if (result.ok) lines.push(result.line);
    else errors.push(result.error);
    return true;
  });
  return { lines, errors };
}

/** Like {@link decodeRolloutLines}, but throws the first bad line's {@link RolloutLineError}. */
export function decodeRolloutLinesStrict(text: string): RolloutLine[] {
  const lines: RolloutLine[] = [];
  let firstError: RolloutLineError | undefined;
  forEachRolloutLine(text, (result) => {
    if (!result.ok) {
      firstError = result.error;
      return false;
    }
    lines.push(result.line);
    return true;
  });
  if (firstError !== undefined) throw firstError;
  return lines;
}

/** Compact JSON of one line, **without** a trailing newline: the writer appends `\n`. */
export function encodeRolloutLine(line: RolloutLine): string {
  return JSON.stringify(line);
}

/** The exact bytes of SPEC §2.1's `session_state` line (no trailing newline). */
export function encodeSessionStateLine(task: SessionAgentTask | null, epochMs: number): string {
  return encodeRolloutLine(sessionStateLine(task, epochMs));
}
