import { packageConfig } from '@agent-identity/eslint-config';

export default packageConfig(import.meta.dirname);
