import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A README's step map: the sections whose heading says they list the rules step by step
 * (`## SPEC rules as named steps`, `### Recovery, step by step`…), each step named by the function
 * or method that does it. A step map that names something the source no longer has is a lie the
 * reader cannot detect, so these checks keep the two together.
 */
const STEP_MAP_HEADING = /^(#{2,3})\s+(.*\bsteps?\b.*)$/i;
const HEADING = /^(#{1,6})\s/;
/**
 * A code span naming one of our calls: `name(…)`, `Class.method(…)`, `.method(…)`. Our names are
 * camelCase; a capitalised or snake_case call (`HSalsa20(…)`, `ephemeral_pk(32)`) is notation.
 */
const CALL_SPAN = /^(?:[A-Za-z_$][\w$]*\.)*\.?#?([a-z$][A-Za-z0-9$]*)\s*\([^`]*\)$/;
/** A code span naming a source file: `backend-client.ts`. */
const FILE_SPAN = /^([\w-]+\.ts)$/;

/** What a step map names: the functions and methods its steps call, and the files it points at. */
export interface StepMapNames {
  readonly identifiers: readonly string[];
  readonly files: readonly string[];
}

/** The lines of every step-map section of `readme`. */
function stepMapLines(readme: string): string[] {
  const lines = readme.split('\n');
  const kept: string[] = [];
  let level: number | undefined;
  let inFence = false;
  for (const line of lines) {
    if (line.startsWith('```')) inFence = !inFence;
    const heading = inFence ? null : HEADING.exec(line);
    if (heading !== null) {
      const depth = heading[1]?.length ?? 0;
      if (level !== undefined && depth <= level) level = undefined;
      const stepHeading = STEP_MAP_HEADING.exec(line);
      if (level === undefined && stepHeading !== null) level = stepHeading[1]?.length;
    }
    if (level !== undefined && !inFence) kept.push(line);
  }
  return kept;
}

/** The identifiers and files a README's step map names, each once, in order. */
export function stepMapNames(readme: string): StepMapNames {
  const identifiers = new Set<string>();
  const files = new Set<string>();
  for (const line of stepMapLines(readme)) {
    for (const [, span = ''] of line.matchAll(/`([^`]+)`/g)) {
      const call = CALL_SPAN.exec(span.trim());
      if (call?.[1] !== undefined) identifiers.add(call[1]);
      const file = FILE_SPAN.exec(span.trim());
      if (file?.[1] !== undefined) files.add(file[1]);
    }
  }
  return { identifiers: [...identifiers], files: [...files] };
}

/** Whether `source` declares `name`: a function, class, type, variable, method or property. */
export function declares(source: string, name: string): boolean {
  const escaped = name.replace(/\$/g, '\\$');
  const declarations = [
    new RegExp(`\\bfunction\\s*\\*?\\s*${escaped}\\b`),
    new RegExp(`\\b(?:class|interface|type|const|let|var|enum)\\s+${escaped}\\b`),
    new RegExp(
      `^\\s*(?:(?:export|public|private|protected|static|async|readonly|get|set|override|declare)\\s+)*#?${escaped}\\s*(?:<[^>\\n]*>)?\\s*[(:=]`,
      'm',
    ),
  ];
  return declarations.some((pattern) => pattern.test(source));
}

/** Every `.ts` file under `folder`, by path. */
async function sourceFiles(folder: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) {
      const path = join(entry.parentPath, entry.name);
      files.set(path, await readFile(path, 'utf8'));
    }
  }
  return files;
}

/**
 * What the README of the package in `packageDir` names in its step map that neither its `src/`
 * nor the `src/` of a workspace package it depends on (`sourceDirs`: a step may call core's
 * `thread.beginTurn()`) declares.
 */
export async function missingStepMapNames(
  packageDir: string,
  sourceDirs: readonly string[] = [],
): Promise<StepMapNames> {
  const names = stepMapNames(await readFile(join(packageDir, 'README.md'), 'utf8'));
  const sources = await sourceFiles(join(packageDir, 'src'));
  const dependencySources = await Promise.all(sourceDirs.map((folder) => sourceFiles(folder)));
  const fileNames = new Set([...sources.keys()].map((path) => path.slice(path.lastIndexOf('/') + 1)));
  const texts = [...sources.values(), ...dependencySources.flatMap((files) => [...files.values()])];
  return {
    identifiers: names.identifiers.filter((name) => !texts.some((text) => declares(text, name))),
    files: names.files.filter((file) => !fileNames.has(file)),
  };
}
