import { context, SpanStatusCode } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import type { TelemetryOptions } from '@agent-identity/protocol';
import type { CliIo } from './cli-io.js';

/**
 * `--trace`: the spans of what a command did, kept in memory (the OpenTelemetry SDK's in-memory
 * exporter) and printed on stderr as a compact tree when the command ends — for bug reports. The
 * spans carry ids, counts, durations and reason codes only, never a credential.
 */
export class CliTrace {
  readonly telemetry: TelemetryOptions;
  readonly #spans = new InMemorySpanExporter();
  readonly #provider: BasicTracerProvider;

  constructor() {
    // the context manager nests the spans of one call (what the Node SDK registers)
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    this.#provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(this.#spans)] });
    this.telemetry = { tracerProvider: this.#provider };
  }

  /** Writes the tree of every finished span to stderr. */
  print(io: CliIo): void {
    io.stderr(`agent-cli: trace:\n${formatSpanTree(this.#spans.getFinishedSpans())}`);
  }
}

/**
 * One line per span, indented under its parent, in start order: `name 12ms key=value …`, with the
 * `agent_identity.` prefix of names and keys dropped. A span that failed ends with `!`.
 */
export function formatSpanTree(spans: readonly ReadableSpan[]): string {
  const byParent = new Map<string, ReadableSpan[]>();
  const ids = new Set(spans.map((span) => span.spanContext().spanId));
  for (const span of [...spans].sort((a, b) => hrMs(a.startTime) - hrMs(b.startTime))) {
    const parent = span.parentSpanContext?.spanId;
    const key = parent !== undefined && ids.has(parent) ? parent : '';
    byParent.set(key, [...(byParent.get(key) ?? []), span]);
  }
  const lines: string[] = [];
  const write = (parentKey: string, depth: number): void => {
    for (const span of byParent.get(parentKey) ?? []) {
      const attributes = Object.entries(span.attributes).map(([key, value]) => `${short(key)}=${String(value)}`);
      const failed = span.status.code === SpanStatusCode.ERROR ? ' !' : '';
      const ms = Math.round(hrMs(span.duration));
      lines.push(
        `${'  '.repeat(depth + 1)}${short(span.name)} ${ms}ms${attributes.map((a) => ` ${a}`).join('')}${failed}`,
      );
      write(span.spanContext().spanId, depth + 1);
    }
  };
  write('', 0);
  return lines.length === 0 ? '  (no spans)\n' : `${lines.join('\n')}\n`;
}

function short(name: string): string {
  return name.startsWith('agent_identity.') ? name.slice('agent_identity.'.length) : name;
}

function hrMs([seconds, nanos]: readonly [number, number]): number {
  return seconds * 1_000 + nanos / 1e6;
}
