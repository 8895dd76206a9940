import { packageBuild } from '@agent-identity/tsup-config';

export default packageBuild({ cli: 'src/cli.ts' });
