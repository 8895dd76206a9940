import { describe, expect, it } from 'vitest';
import { summaryTable } from '../src/demo/summary-table.js';

describe('summaryTable', () => {
  it('lines up a row per step and a total of time and counts; a skipped step counts nothing', () => {
    const lines = summaryTable([
      {
        number: 1,
        label: 'identity',
        title: 'Identity',
        ms: 12.4,
        counts: { identityRegistrations: 1, taskRegistrations: 0, requestsAccepted: 0, requestsRefused: 0 },
      },
      {
        number: 2,
        label: 'turns',
        title: 'Turns',
        ms: 1500,
        counts: { identityRegistrations: 0, taskRegistrations: 2, requestsAccepted: 3, requestsRefused: 1 },
      },
      { number: 3, label: 'revoke', title: 'Revoke', ms: undefined, counts: undefined, skipped: 'no admin' },
    ]);

    expect(lines).toEqual([
      'step            time  identity reg.  task reg.  requests ok  refused',
      '───────────  ───────  ─────────────  ─────────  ───────────  ───────',
      '1. identity    12 ms              1          0            0        0',
      '2. turns      1.50 s              0          2            3        1',
      '3. revoke    skipped                                                ',
      '───────────  ───────  ─────────────  ─────────  ───────────  ───────',
      'total         1.51 s              1          2            3        1',
    ]);
  });
});
