import { fileURLToPath } from 'node:url';
import { packageProject } from '@agent-identity/vitest-config';
import { mergeConfig } from 'vitest/config';

export default mergeConfig(packageProject('registry', { testTimeout: 120_000 }), {
  // One PostgreSQL server for every test file of the package (initdb takes seconds on a busy host).
  test: {
    globalSetup: [fileURLToPath(import.meta.resolve('@agent-identity/postgres-server/vitest-global-setup'))],
    hookTimeout: 120_000,
  },
});
