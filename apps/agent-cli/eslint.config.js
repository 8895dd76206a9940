import { packageConfig } from '@agent-identity/eslint-config';

export default [
  ...packageConfig(import.meta.dirname),
  // The README's examples print what they show.
  { files: ['examples/**'], rules: { 'no-console': 'off' } },
];
