import type { UserWorkspaceConfig } from 'vitest/config';

export declare function packageProject(name: string, options?: { testTimeout?: number }): UserWorkspaceConfig;
