import { packageConfig } from '@agent-identity/eslint-config';

export default [
  ...packageConfig(import.meta.dirname),
  // The README's example prints what it shows.
  { files: ['examples/**'], rules: { 'no-console': 'off' } },
];
