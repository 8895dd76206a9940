import { packageProject } from '@agent-identity/vitest-config';

// A Codex scenario runs up to three real processes in a row, each bounded by its own timeout.
export default packageProject('interop', { testTimeout: 120_000 });
