import { packageProject } from '@agent-identity/vitest-config';

// The tests run child processes and a headless Chromium: give them room on a slow machine.
export default packageProject('agent-gateway', { testTimeout: 60_000 });
