import { packageProject } from '@agent-identity/vitest-config';

export default packageProject('sql-migrations');
