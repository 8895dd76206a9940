import { packageProject } from '@agent-identity/vitest-config';

export default packageProject('reliability', { testTimeout: 60_000 });
