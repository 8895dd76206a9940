import { fileURLToPath } from 'node:url';
import { packageProject } from '@agent-identity/vitest-config';
import { mergeConfig } from 'vitest/config';

// The tests run child processes and a headless Chromium: give them room on a slow machine. One
// PostgreSQL server serves the test of the gateway on the backend's PostgreSQL registry.
export default mergeConfig(packageProject('agent-gateway', { testTimeout: 60_000 }), {
  test: {
    globalSetup: [fileURLToPath(import.meta.resolve('@agent-identity/postgres-server/vitest-global-setup'))],
    hookTimeout: 120_000,
  },
});
