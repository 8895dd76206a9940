import { describe, expect, it } from 'vitest';
import { syncFolder } from '../src/stores/atomic-file.js';
import { FreshSharedCall } from '../src/primitives/fresh-shared-call.js';
import { useTempFolder } from './temp-folder.js';

const folder = useTempFolder();

/** Real folder fsyncs, each logged when it begins and ends, in order with the callers' marks. */
function recordingSync(log: string[]): (path: string) => Promise<void> {
  let count = 0;
  return async (path) => {
    count += 1;
    const name = `fsync${count}`;
    log.push(`${name} begins`);
    await syncFolder(path);
    log.push(`${name} ends`);
  };
}

describe('FreshSharedCall (group commit of folder fsyncs)', () => {
  it('callers arriving during an fsync share one fsync that begins after them', async () => {
    const log: string[] = [];
    const group = new FreshSharedCall(recordingSync(log));
    const first = group.call(folder.path).then(() => log.push('first resolved'));
    const late = Array.from({ length: 10 }, (_, index) =>
      group.call(folder.path).then(() => log.push(`late ${index} resolved`)),
    );
    await Promise.all([first, ...late]);
    expect(log.filter((line) => line.endsWith('begins'))).toEqual(['fsync1 begins', 'fsync2 begins']);
    expect(log.indexOf('first resolved')).toBeGreaterThan(log.indexOf('fsync1 ends'));
    for (let index = 0; index < 10; index += 1) {
      // Each late caller waits for the fsync that began after its call, not the one running then.
      expect(log.indexOf(`late ${index} resolved`)).toBeGreaterThan(log.indexOf('fsync2 ends'));
    }
  });

  it('a caller after the group has settled gets a new fsync of its own', async () => {
    const log: string[] = [];
    const group = new FreshSharedCall(recordingSync(log));
    await group.call(folder.path);
    await group.call(folder.path);
    expect(log).toEqual(['fsync1 begins', 'fsync1 ends', 'fsync2 begins', 'fsync2 ends']);
  });

  it('a failed fsync rejects its own callers, and the next group still syncs', async () => {
    const missing = `${folder.path}/missing`;
    const group = new FreshSharedCall(syncFolder);
    const running = group.call(missing);
    const next = group.call(missing);
    await expect(running).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(next).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(group.call(folder.path)).resolves.toBeUndefined();
  });
});
