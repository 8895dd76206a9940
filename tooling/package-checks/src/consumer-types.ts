import { join, sep } from 'node:path';
import ts from 'typescript';

/** What a strict TypeScript user on Node compiles with. */
const CONSUMER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: ['node'],
  strict: true,
  noEmit: true,
  skipLibCheck: false,
};

/**
 * Compiles `probeFile` (which imports every entry point) inside the smoke project, as a strict
 * consumer would, and answers the errors in the probe and in our packages' `.d.ts` files — so a
 * declaration that needs an undeclared dependency (say `ws` types without `@types/ws`) fails.
 * Only our files are type-checked: checking all of `@types/node` and zod, as `tsc` with
 * `skipLibCheck: false` would, takes several times longer and is not ours to fix.
 */
export function consumerTypeProblems(projectDir: string, probeFile: string, packageNames: readonly string[]): string[] {
  const probe = join(projectDir, probeFile);
  const program = ts.createProgram({
    rootNames: [probe],
    options: CONSUMER_OPTIONS,
    host: ts.createCompilerHost(CONSUMER_OPTIONS),
  });
  const ownFolders = packageNames.map((name) => `${sep}node_modules${sep}${name.split('/').join(sep)}${sep}`);
  const ownFiles = program
    .getSourceFiles()
    .filter((file) => file.fileName === probe || ownFolders.some((folder) => file.fileName.includes(folder)));
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...ownFiles.flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]),
  ];
  const host: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => projectDir,
    getNewLine: () => '\n',
  };
  return diagnostics.map((diagnostic) => ts.formatDiagnostic(diagnostic, host).trimEnd());
}
