import { formatMs, type StepRecord } from './step-recorder.js';
import { NO_COUNTS, type DemoCounts } from './demo-counters.js';

const HEADINGS = ['step', 'time', 'identity reg.', 'task reg.', 'requests ok', 'refused'] as const;

/** The demo's final table: per step, the time it took and what the backend counted. */
export function summaryTable(records: readonly StepRecord[]): string[] {
  const rows = records.map((record) => [
    `${record.number}. ${record.label}`,
    record.ms === undefined ? 'skipped' : formatMs(record.ms),
    ...countCells(record.counts),
  ]);
  const total = records.reduce<DemoCounts>((sum, record) => add(sum, record.counts ?? NO_COUNTS), NO_COUNTS);
  const totalMs = records.reduce((sum, record) => sum + (record.ms ?? 0), 0);
  const footer = ['total', formatMs(totalMs), ...countCells(total)];
  const table = [[...HEADINGS], ...rows, footer];
  const widths = HEADINGS.map((_, column) => Math.max(...table.map((row) => (row[column] ?? '').length)));
  const render = (row: readonly string[]): string =>
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ');
  const rule = widths.map((width) => '─'.repeat(width)).join('  ');
  return [render(table[0] ?? []), rule, ...rows.map(render), rule, render(footer)];
}

function countCells(counts: DemoCounts | undefined): string[] {
  if (counts === undefined) return ['', '', '', ''];
  return [counts.identityRegistrations, counts.taskRegistrations, counts.requestsAccepted, counts.requestsRefused].map(
    String,
  );
}

function add(a: DemoCounts, b: DemoCounts): DemoCounts {
  return {
    identityRegistrations: a.identityRegistrations + b.identityRegistrations,
    taskRegistrations: a.taskRegistrations + b.taskRegistrations,
    requestsAccepted: a.requestsAccepted + b.requestsAccepted,
    requestsRefused: a.requestsRefused + b.requestsRefused,
  };
}
