import { context, SpanStatusCode, type Attributes, type AttributeValue } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  DataPointType,
  InMemoryMetricExporter,
  AggregationTemporality,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import type { TelemetryOptions } from '@agent-identity/protocol';
import { secretShapeOf } from './secret-shape.js';

/** One span of a captured tree. */
export interface SpanNode {
  readonly name: string;
  readonly attributes: Attributes;
  readonly failed: boolean;
  readonly children: readonly SpanNode[];
}

/** One data point of a captured metric: a counter's sum, or a histogram's count and sum. */
export interface MetricPoint {
  readonly name: string;
  readonly attributes: Attributes;
  readonly value: number;
  /** Histograms only. */
  readonly count?: number;
}

/** An attribute value that looks like a secret, and where it was found. */
export interface SecretShapedAttribute {
  readonly where: string;
  readonly key: string;
  readonly why: string;
}

let contextManagerSet = false;

/**
 * The real OpenTelemetry SDK with its in-memory exporters: pass {@link options} as a package's
 * `telemetry`, run a flow, then read the finished spans as trees and the metrics as points. The
 * first capture registers the AsyncLocalStorage context manager (what the Node SDK does), so that
 * the spans of one call nest.
 */
export class TelemetryCapture {
  readonly options: TelemetryOptions;
  readonly #spans = new InMemorySpanExporter();
  readonly #metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  readonly #tracerProvider: BasicTracerProvider;
  readonly #meterProvider: MeterProvider;

  constructor() {
    if (!contextManagerSet) {
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      contextManagerSet = true;
    }
    this.#tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(this.#spans)] });
    this.#meterProvider = new MeterProvider({
      // exported only when the test asks (forceFlush): the interval never fires within a test
      readers: [new PeriodicExportingMetricReader({ exporter: this.#metrics, exportIntervalMillis: 3_600_000 })],
    });
    this.options = { tracerProvider: this.#tracerProvider, meterProvider: this.#meterProvider };
  }

  /** Every finished span, in the order they ended. */
  spans(): readonly ReadableSpan[] {
    return this.#spans.getFinishedSpans();
  }

  /** The finished spans as trees (roots first, children by start time). */
  trees(): readonly SpanNode[] {
    const spans = [...this.spans()].sort((a, b) => compareTime(a.startTime, b.startTime));
    const ids = new Set(spans.map((span) => span.spanContext().spanId));
    const childrenOf = (parentId: string | undefined): SpanNode[] =>
      spans
        .filter((span) => {
          const parent = span.parentSpanContext?.spanId;
          return parentId === undefined ? parent === undefined || !ids.has(parent) : parent === parentId;
        })
        .map((span) => ({
          name: span.name,
          attributes: span.attributes,
          failed: span.status.code === SpanStatusCode.ERROR,
          children: childrenOf(span.spanContext().spanId),
        }));
    return childrenOf(undefined);
  }

  /** The trees as indented names (two spaces per level): what a test compares. */
  outline(): readonly string[] {
    const lines: string[] = [];
    const walk = (node: SpanNode, depth: number): void => {
      lines.push(`${'  '.repeat(depth)}${node.name}`);
      for (const child of node.children) walk(child, depth + 1);
    };
    for (const root of this.trees()) walk(root, 0);
    return lines;
  }

  /** Every metric data point recorded so far (cumulative). */
  async metrics(): Promise<readonly MetricPoint[]> {
    this.#metrics.reset();
    await this.#meterProvider.forceFlush();
    const points: MetricPoint[] = [];
    const exported = this.#metrics.getMetrics().at(-1);
    for (const scope of exported?.scopeMetrics ?? []) {
      for (const metric of scope.metrics) {
        for (const point of metric.dataPoints) {
          const { name } = metric.descriptor;
          if (metric.dataPointType === DataPointType.HISTOGRAM) {
            const histogram = point.value as { count: number; sum?: number };
            points.push({ name, attributes: point.attributes, value: histogram.sum ?? 0, count: histogram.count });
          } else {
            points.push({ name, attributes: point.attributes, value: point.value as number });
          }
        }
      }
    }
    return points;
  }

  /** The points of metric `name`. */
  async metric(name: string): Promise<readonly MetricPoint[]> {
    return (await this.metrics()).filter((point) => point.name === name);
  }

  /**
   * Every span attribute, span event attribute and metric attribute whose value (or key) looks
   * like a secret: a flow's telemetry must give none.
   */
  async secretShapedAttributes(): Promise<readonly SecretShapedAttribute[]> {
    const found: SecretShapedAttribute[] = [];
    const check = (where: string, attributes: Attributes | undefined): void => {
      for (const [key, value] of Object.entries(attributes ?? {})) {
        for (const text of [key, ...textsOf(value)]) {
          const why = secretShapeOf(text);
          if (why !== undefined) found.push({ where, key, why });
        }
      }
    };
    for (const span of this.spans()) {
      check(`span ${span.name}`, span.attributes);
      for (const event of span.events) check(`event ${event.name} of span ${span.name}`, event.attributes);
      const why = secretShapeOf(span.name) ?? secretShapeOf(span.status.message ?? '');
      if (why !== undefined) found.push({ where: `span ${span.name}`, key: '(name or status)', why });
    }
    for (const point of await this.metrics()) check(`metric ${point.name}`, point.attributes);
    return found;
  }

  async shutdown(): Promise<void> {
    await Promise.all([this.#tracerProvider.shutdown(), this.#meterProvider.shutdown()]);
  }
}

function textsOf(value: AttributeValue | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function compareTime(a: readonly [number, number], b: readonly [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}
