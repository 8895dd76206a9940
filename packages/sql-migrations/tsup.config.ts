import { packageBuild } from '@agent-identity/tsup-config';

export default packageBuild({ index: 'src/index.ts' });
