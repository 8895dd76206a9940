// Type-only: `@opentelemetry/api` is an optional peer. Nothing here loads it; the app's providers
// (which bring their own copy of the API) do all the work, so without them nothing is paid.
import type { Meter, MeterProvider, Span, SpanStatusCode, Tracer, TracerProvider } from '@opentelemetry/api';

/**
 * Where the packages send their spans and metrics: OpenTelemetry providers (the SDK's, or the
 * global ones from `trace.getTracerProvider()` / `metrics.getMeterProvider()`). Both optional;
 * without one, spans (or metrics) cost one function call each.
 */
export interface TelemetryOptions {
  readonly tracerProvider?: TracerProvider | undefined;
  readonly meterProvider?: MeterProvider | undefined;
}

/**
 * What spans and metrics may carry: ids, counts, durations and reason codes — never a key, token,
 * biscuit, assertion or signature (the callers pass only those).
 */
export type TelemetryAttributes = Readonly<Record<string, string | number | boolean>>;

/** A running span, as the code inside it sees it. */
export interface SpanRecorder {
  /** Adds (or overwrites) attributes, e.g. the outcome once known. */
  set(attributes: TelemetryAttributes): void;
}

/** A counter or up-down counter. */
export interface TelemetryCounter {
  add(value: number, attributes?: TelemetryAttributes): void;
}

/** A histogram (durations in ms, counts). */
export interface TelemetryHistogram {
  record(value: number, attributes?: TelemetryAttributes): void;
}

/** One metric instrument's name, description and unit (UCUM: `ms`, `{registration}`). */
export interface InstrumentDescription {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
}

/** `SpanStatusCode.ERROR` of `@opentelemetry/api`, whose enum value cannot be imported type-only. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- the enum's value, spelled out
const SPAN_STATUS_ERROR: SpanStatusCode.ERROR = 2;

const noSpan: SpanRecorder = {
  set() {
    // no tracer: nothing records the span
  },
};

const noInstrument: TelemetryCounter & TelemetryHistogram = {
  add() {
    // no meter: nothing counts
  },
  record() {
    // no meter: nothing records
  },
};

/**
 * One package's spans and metrics (an OpenTelemetry instrumentation scope). Spans nest through
 * the API's active context (`startActiveSpan`): register a context manager (the Node SDK does) for
 * the spans of one call to form one tree. A span that ends in an error gets status ERROR and an
 * `error.type` attribute (the error's `code`, else its class name) — never the error's message,
 * which may quote a server's answer.
 */
export class Instrumentation {
  /** Records nothing. */
  static readonly none = new Instrumentation('none', undefined);

  readonly #tracer: Tracer | undefined;
  readonly #meter: Meter | undefined;

  /** `scope`: the package name, `version`: its version (the instrumentation scope). */
  constructor(scope: string, options: TelemetryOptions | undefined, version?: string) {
    this.#tracer = options?.tracerProvider?.getTracer(scope, version);
    this.#meter = options?.meterProvider?.getMeter(scope, version);
  }

  /** Whether spans are recorded. */
  get tracing(): boolean {
    return this.#tracer !== undefined;
  }

  /** Runs `run` inside a span named `name`; the span ends when `run` settles. */
  async span<T>(name: string, attributes: TelemetryAttributes, run: (span: SpanRecorder) => Promise<T>): Promise<T> {
    const tracer = this.#tracer;
    if (tracer === undefined) return run(noSpan);
    return tracer.startActiveSpan(name, { attributes: attributes }, async (span) => {
      try {
        return await run(recorderOf(span));
      } catch (error) {
        markFailed(span, error);
        throw error;
      } finally {
        span.end();
      }
    });
  }

  /** {@link span} for synchronous work. */
  spanSync<T>(name: string, attributes: TelemetryAttributes, run: (span: SpanRecorder) => T): T {
    const tracer = this.#tracer;
    if (tracer === undefined) return run(noSpan);
    return tracer.startActiveSpan(name, { attributes: attributes }, (span) => {
      try {
        return run(recorderOf(span));
      } catch (error) {
        markFailed(span, error);
        throw error;
      } finally {
        span.end();
      }
    });
  }

  counter(description: InstrumentDescription): TelemetryCounter {
    const { name, ...rest } = description;
    return this.#meter?.createCounter(name, rest) ?? noInstrument;
  }

  upDownCounter(description: InstrumentDescription): TelemetryCounter {
    const { name, ...rest } = description;
    return this.#meter?.createUpDownCounter(name, rest) ?? noInstrument;
  }

  histogram(description: InstrumentDescription): TelemetryHistogram {
    const { name, ...rest } = description;
    return this.#meter?.createHistogram(name, rest) ?? noInstrument;
  }
}

function recorderOf(span: Span): SpanRecorder {
  return {
    set(attributes) {
      span.setAttributes(attributes);
    },
  };
}

function markFailed(span: Span, error: unknown): void {
  span.setStatus({ code: SPAN_STATUS_ERROR });
  span.setAttribute('error.type', errorType(error));
}

/** A stable, secret-free name for what failed: the typed error's `code`, else the class name. */
export function errorType(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { code } = error as { code?: unknown };
    if (typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code)) return code;
    return (error as { constructor?: { name?: string } }).constructor?.name ?? 'Error';
  }
  return typeof error;
}
