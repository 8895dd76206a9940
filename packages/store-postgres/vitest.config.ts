import { fileURLToPath } from 'node:url';
import { packageProject } from '@agent-identity/vitest-config';
import { mergeConfig } from 'vitest/config';

const shared = packageProject('store-postgres', { testTimeout: 120_000 });

// Vitest hands the SSR conditions to the test workers as `node --conditions`, which then apply
// to `require` too: with `import` among them, `pg`'s `require('pg-pool')` gets pg-pool's ES module
// and fails. Node adds `import` to every `import` by itself, so it is dropped here.
const workerConditions = (shared.ssr?.resolve?.conditions ?? []).filter((condition) => condition !== 'import');

export default mergeConfig(
  { ...shared, ssr: { ...shared.ssr, resolve: { ...shared.ssr?.resolve, conditions: workerConditions } } },
  {
    // One PostgreSQL server for every test file of the package (initdb takes seconds on a busy host).
    test: {
      globalSetup: [fileURLToPath(import.meta.resolve('@agent-identity/postgres-server/vitest-global-setup'))],
      hookTimeout: 120_000,
    },
  },
);
