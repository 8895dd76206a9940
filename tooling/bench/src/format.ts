import type { BenchResult, Unit } from './bench-result.js';

function fixed(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A value with its unit, scaled for reading (µs for ns above 10 000, M/s for millions, MB…). */
export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return '—';
  switch (unit) {
    case 'ns/op':
      return value >= 10_000 ? `${fixed(value / 1000, 1)} µs` : `${fixed(value, 1)} ns`;
    case 'ms':
      return value >= 100 ? `${fixed(value, 0)} ms` : `${fixed(value, value >= 1 ? 2 : 3)} ms`;
    case 'bytes':
      return formatBytes(value);
    case 'ops/s':
    case 'registrations/s':
    case 'requests/s': {
      const suffix = unit === 'ops/s' ? '/s' : ` ${unit}`;
      return value >= 1e6 ? `${fixed(value / 1e6, 1)} M${suffix}` : `${fixed(value, 0)}${suffix}`;
    }
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${fixed(bytes / 1024 ** 3, 2)} GiB`;
  if (bytes >= 1024 ** 2) return `${fixed(bytes / 1024 ** 2, 1)} MiB`;
  if (bytes >= 1024) return `${fixed(bytes / 1024, 1)} KiB`;
  return `${fixed(bytes, 0)} B`;
}

/** The readable table: one row per figure, then its notes. */
export function formatTable(results: readonly BenchResult[]): string {
  const header = ['figure', 'median', 'beside it (median)', 'ratio', 'target', 'met'];
  const rows = results.map((result) => [
    result.title,
    formatValue(result.value, result.unit),
    result.baseline === undefined ? '' : `${formatValue(result.baseline.value, result.unit)}  ${result.baseline.title}`,
    result.ratio === undefined
      ? ''
      : `${fixed(result.ratio.value, result.ratio.value >= 10 ? 0 : 2)}× ${result.ratio.meaning}`,
    result.target?.text ?? '',
    result.target === undefined ? '' : result.target.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join(' | ')
      .trimEnd();
  const notes = results.flatMap((result) => (result.notes ?? []).map((note) => `note (${result.id}): ${note}`));
  return [line(header), widths.map((width) => '-'.repeat(width)).join('-|-'), ...rows.map(line), ...notes].join('\n');
}
