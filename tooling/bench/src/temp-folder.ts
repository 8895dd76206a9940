import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh folder under the system temp folder, removed by `remove()` (with everything in it). */
export class TempFolder {
  private constructor(readonly path: string) {}

  static async create(label: string): Promise<TempFolder> {
    return new TempFolder(await mkdtemp(join(tmpdir(), `agent-identity-bench-${label}-`)));
  }

  async remove(): Promise<void> {
    await rm(this.path, { recursive: true, force: true });
  }
}
