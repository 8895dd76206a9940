import { fileURLToPath } from 'node:url';
import { packageProject } from '@agent-identity/vitest-config';
import { mergeConfig } from 'vitest/config';

export default mergeConfig(packageProject('readme-examples', { testTimeout: 120_000 }), {
  // One PostgreSQL server, for the blocks that open a database (store-postgres's fleet runtime).
  test: {
    globalSetup: [fileURLToPath(import.meta.resolve('@agent-identity/postgres-server/vitest-global-setup'))],
    hookTimeout: 120_000,
  },
});
