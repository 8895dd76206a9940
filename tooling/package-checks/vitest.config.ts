import { packageProject } from '@agent-identity/vitest-config';

export default packageProject('package-checks', { testTimeout: 60_000 });
