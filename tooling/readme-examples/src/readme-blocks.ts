import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * What the check does with a block, from its fence's info string:
 * - ` ```ts ` — type-checked and run;
 * - ` ```ts no-run: <why> ` — type-checked only (a server that runs until stopped, a test file);
 * - ` ```ts fragment: <why> ` — neither (a shape, not a program).
 * A marker without its reason is refused: the check prints why each block is not run.
 */
export type BlockMode = 'run' | 'no-run' | 'fragment';

export interface ReadmeBlock {
  /** The README, relative to the repository root (`packages/core/README.md`). */
  readonly readme: string;
  /** The line of the opening fence, 1-based. */
  readonly line: number;
  readonly mode: BlockMode;
  /** Why the block is not run (`no-run`, `fragment`); `undefined` for a block that runs. */
  readonly reason: string | undefined;
  readonly code: string;
}

/** The READMEs whose TypeScript blocks show user code. The root README's are apps/agent-cli's examples, checked there. */
const README_FOLDERS = ['packages', 'apps', 'tooling'] as const;

const OPENING = /^```(?:ts|typescript)(?:\s+(.*))?$/;
const MARKER = /^(no-run|fragment):\s*(\S.*)$/;

/** The TypeScript blocks of one README's text; throws for a marker that is unknown or gives no reason. */
export function blocksOfReadme(readme: string, text: string): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const opening = OPENING.exec(lines[index] ?? '');
    if (opening === null) continue;
    const info = opening[1]?.trim() ?? '';
    let mode: BlockMode = 'run';
    let reason: string | undefined;
    if (info !== '') {
      const marker = MARKER.exec(info);
      if (marker === null) {
        throw new Error(`${readme}:${index + 1}: "${info}" is not "no-run: <why>" or "fragment: <why>"`);
      }
      mode = marker[1] as BlockMode;
      reason = marker[2];
    }
    const end = lines.indexOf('```', index + 1);
    if (end === -1) throw new Error(`${readme}:${index + 1}: the block is never closed`);
    blocks.push({ readme, line: index + 1, mode, reason, code: `${lines.slice(index + 1, end).join('\n')}\n` });
    index = end;
  }
  return blocks;
}

/** Every TypeScript block of `packages/*`, `apps/*` and `tooling/*` READMEs under `root`. */
export async function readmeBlocks(root: string): Promise<ReadmeBlock[]> {
  const blocks: ReadmeBlock[] = [];
  for (const folder of README_FOLDERS) {
    const names = (await readdir(join(root, folder), { withFileTypes: true })).filter((entry) => entry.isDirectory());
    for (const { name } of names.sort((a, b) => a.name.localeCompare(b.name))) {
      const readme = `${folder}/${name}/README.md`;
      let text: string;
      try {
        text = await readFile(join(root, readme), 'utf8');
      } catch {
        continue; // a folder without a README
      }
      blocks.push(...blocksOfReadme(readme, text));
    }
  }
  return blocks;
}

/** A file name for a block: its README's folder and line (`packages-core-L23.ts`). */
export function blockFileName(block: ReadmeBlock): string {
  return `${block.readme.replace(/\/README\.md$/, '').replaceAll('/', '-')}-L${block.line}.ts`;
}
