import { fileURLToPath } from 'node:url';
import { packageProject } from '@agent-identity/vitest-config';
import { mergeConfig } from 'vitest/config';

export default mergeConfig(packageProject('reference-backend'), {
  // One PostgreSQL server for the test files that run backends on it (the multi-instance test).
  test: {
    globalSetup: [fileURLToPath(import.meta.resolve('@agent-identity/postgres-server/vitest-global-setup'))],
    hookTimeout: 120_000,
  },
});
