import { builtinModules } from 'node:module';
import { isRecord, type PackageManifest } from './package-manifest.js';
import { entryPoints } from './entry-points.js';
import { SUPPORTED_NODE_RANGE } from './node-lts.js';

/** The development-only export condition that must never reach a published manifest. */
export const SOURCE_CONDITION = '@agent-identity/source';

const DEPENDENCY_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'] as const;

/** pnpm-only range protocols; npm and yarn cannot install them, so `pnpm pack` must rewrite them. */
const PNPM_PROTOCOLS = ['workspace:', 'catalog:'] as const;

/** What the manifest rules need to know about a packed package besides its manifest. */
export interface PackedManifestContext {
  /** The package's folder in the repo (`packages/core`), which `repository.directory` must name. */
  readonly relativeDir: string;
  /** The files in the tarball, relative to `package/`. */
  readonly files: readonly string[];
  /** The text of a file in the tarball. */
  readonly readText: (path: string) => string;
}

type Rule = (manifest: PackageManifest, context: PackedManifestContext) => string[];

const noPnpmRanges: Rule = (manifest) =>
  DEPENDENCY_FIELDS.flatMap((field) => {
    const deps = manifest[field];
    if (!isRecord(deps)) return [];
    return Object.entries(deps)
      .filter(([, range]) => typeof range === 'string' && PNPM_PROTOCOLS.some((protocol) => range.startsWith(protocol)))
      .map(([dep, range]) => `${field}.${dep} is "${String(range)}" (not rewritten by pnpm pack)`);
  });

function conditionPaths(value: unknown, path: string): string[] {
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) => [
    ...(key === SOURCE_CONDITION ? [`${path}["${key}"]`] : []),
    ...conditionPaths(inner, `${path}["${key}"]`),
  ]);
}

const noSourceCondition: Rule = (manifest) =>
  ['exports', 'imports']
    .flatMap((field) => conditionPaths(manifest[field], field))
    .map((path) => `${path}: the ${SOURCE_CONDITION} condition is published`);

const hasFiles: Rule = (manifest) => {
  const files = manifest.files;
  return Array.isArray(files) && files.length > 0 && files.every((entry) => typeof entry === 'string')
    ? []
    : ['"files" is missing or empty (everything in the folder would be published)'];
};

function typesNotFirst(value: unknown, path: string): string[] {
  if (!isRecord(value)) return [];
  const keys = Object.keys(value);
  const own =
    keys.includes('types') && keys[0] !== 'types'
      ? [`${path}: "types" must be the first condition (is "${keys[0] ?? ''}")`]
      : [];
  return [...own, ...keys.flatMap((key) => typesNotFirst(value[key], `${path}["${key}"]`))];
}

const hasExportsWithTypesFirst: Rule = (manifest) =>
  manifest.exports === undefined ? ['"exports" is missing'] : typesNotFirst(manifest.exports, 'exports');

const isModule: Rule = (manifest) =>
  manifest.type === 'module' ? [] : ['"type" must be "module" (the packages are ESM-only)'];

const sideEffectsFalse: Rule = (manifest) => (manifest.sideEffects === false ? [] : ['"sideEffects" must be false']);

const enginesNodeIsSupportedRange: Rule = (manifest) => {
  const engines = manifest.engines;
  if (!isRecord(engines) || typeof engines.node !== 'string' || engines.node === '')
    return ['"engines.node" is missing'];
  return engines.node === SUPPORTED_NODE_RANGE
    ? []
    : [`"engines.node" is "${engines.node}", not the supported range "${SUPPORTED_NODE_RANGE}"`];
};

const publicAccess: Rule = (manifest) => {
  const publishConfig = manifest.publishConfig;
  return isRecord(publishConfig) && publishConfig.access === 'public'
    ? []
    : ['"publishConfig.access" must be "public" (a scoped package is private by default)'];
};

const repositoryDirectory: Rule = (manifest, { relativeDir }) => {
  const repository = manifest.repository;
  if (!isRecord(repository) || typeof repository.url !== 'string') return ['"repository.url" is missing'];
  return repository.directory === relativeDir
    ? []
    : [`"repository.directory" is ${JSON.stringify(repository.directory)}, the package lives in "${relativeDir}"`];
};

const binsAreScripts: Rule = (manifest, { files, readText }) =>
  entryPoints(manifest).bins.flatMap(({ name, path }) => {
    const file = path.replace(/^\.\//, '');
    if (!files.includes(file)) return [`bin "${name}": ${path} is not in the tarball`];
    return readText(file).startsWith('#!') ? [] : [`bin "${name}": ${path} does not start with a #! line`];
  });

/** `from 'x'`, `import('x')`, `import 'x'`, `require('x')` in built JavaScript and `.d.ts` files. */
const IMPORT_SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s*|\brequire\s*\(\s*)(['"])([^'"\n]+)\1/gm;
const BUILT_FILE = /\.(?:m?js|d\.m?ts)$/;

/** The package a bare specifier loads (`@noble/hashes/blake2.js` → `@noble/hashes`); undefined for files and Node built-ins. */
export function importedPackageName(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
  return builtinModules.includes(name) ? undefined : name;
}

/**
 * Every package the built files import is declared: in the workspace a missing declaration is
 * hidden (pnpm links dev dependencies, npm hoists), for a user it is a crash or an `any`.
 */
const importsDeclared: Rule = (manifest, { files, readText }) => {
  const declared = new Set([
    String(manifest.name),
    ...['dependencies', 'peerDependencies', 'optionalDependencies'].flatMap((field) => {
      const deps = manifest[field];
      return isRecord(deps) ? Object.keys(deps) : [];
    }),
  ]);
  const undeclared = new Map<string, string>();
  for (const file of files.filter((path) => BUILT_FILE.test(path))) {
    for (const match of readText(file).matchAll(IMPORT_SPECIFIER)) {
      const name = importedPackageName(match[2] ?? '');
      if (name !== undefined && !declared.has(name) && !undeclared.has(name)) undeclared.set(name, file);
    }
  }
  return [...undeclared].map(
    ([name, file]) => `${file} imports "${name}", which is not in dependencies or peerDependencies`,
  );
};

/** Each rule the packed `package.json` must pass, by name (the name is shown with its problems). */
export const MANIFEST_RULES: Readonly<Record<string, Rule>> = {
  'no workspace:/catalog: ranges': noPnpmRanges,
  'no source condition': noSourceCondition,
  files: hasFiles,
  'exports, types first': hasExportsWithTypesFirst,
  'type: module': isModule,
  'sideEffects: false': sideEffectsFalse,
  'engines.node': enginesNodeIsSupportedRange,
  'publishConfig.access: public': publicAccess,
  'repository.directory': repositoryDirectory,
  bins: binsAreScripts,
  'imports declared': importsDeclared,
};

/** Every problem of a packed manifest, each prefixed with the rule it breaks; empty when it is fine. */
export function checkPackedManifest(manifest: PackageManifest, context: PackedManifestContext): string[] {
  return Object.entries(MANIFEST_RULES).flatMap(([rule, check]) =>
    check(manifest, context).map((problem) => `${rule}: ${problem}`),
  );
}
