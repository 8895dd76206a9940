import { packageProject } from '@agent-identity/vitest-config';

// The tests spawn the CLI (and the demo spawns it again): give them room on a slow machine.
export default packageProject('agent-cli', { testTimeout: 60_000 });
