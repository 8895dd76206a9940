import { packageConfig } from '@agent-identity/eslint-config';

// .blocks/ holds the README blocks the test writes out (generated, gitignored): the READMEs are the source.
export default [...packageConfig(import.meta.dirname), { ignores: ['.blocks/**'] }];
