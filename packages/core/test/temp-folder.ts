import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/** A fresh folder under the OS temp folder, removed by `remove()`. */
export async function makeTempFolder(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'agent-identity-core-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A fresh temp folder for each test of the calling file (or `describe`), removed after it. */
export function useTempFolder(): { readonly path: string } {
  let current: Awaited<ReturnType<typeof makeTempFolder>> | undefined;
  beforeEach(async () => {
    current = await makeTempFolder();
  });
  afterEach(async () => {
    await current?.remove();
    current = undefined;
  });
  return {
    get path(): string {
      if (current === undefined) throw new Error('the temp folder exists only while a test runs');
      return current.path;
    },
  };
}
