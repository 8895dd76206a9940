export { secretShapeOf } from './secret-shape.js';
export { TelemetryCapture, type MetricPoint, type SecretShapedAttribute, type SpanNode } from './telemetry-capture.js';
