import { describe, expect, it } from 'vitest';
import { CheckReport } from '../src/check-report.js';

describe('CheckReport', () => {
  it('writes one aligned line per check, problems indented under a failure, and the closing count', async () => {
    const lines: string[] = [];
    let nowMs = 0;
    const report = new CheckReport(
      ['@agent-identity/core', 'x'],
      (line) => lines.push(line),
      () => nowMs,
    );
    report.record('x', 'pack', [], '3 files');
    await report.run('@agent-identity/core', 'attw', () => Promise.resolve(['.: NoResolution (node16-esm)']));
    await report.run('x', 'attw', () => {
      nowMs += 1500;
      return Promise.resolve([]);
    });
    await report.run('x', 'publint', () => Promise.reject(new Error('publint crashed')));
    report.note('y', 'private, not published');
    nowMs += 7500;

    expect(report.hasFailures).toBe(true);
    expect(report.close('packaging')).toBe(1);
    expect(lines).toEqual([
      'ok    x                     pack  (3 files)',
      'FAIL  @agent-identity/core  attw',
      '        - .: NoResolution (node16-esm)',
      'ok    x                     attw  (1.5 s)',
      'FAIL  x                     publint',
      '        - publint crashed',
      'skip  y                     private, not published',
      'packaging took 9.0 s',
      'packaging: 2 passed, 2 failed',
    ]);
  });

  it('closes with exit code 0 when every check passed', () => {
    const report = new CheckReport(['x'], () => undefined);
    report.record('x', 'manifest', []);
    expect(report.hasFailures).toBe(false);
    expect(report.close('smoke')).toBe(0);
  });
});
