import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      'packages/*',
      'apps/*',
      'tooling/interop',
      'tooling/package-checks',
      'tooling/readme-examples',
      'tooling/reliability',
    ],
  },
});
