import * as z from 'zod/mini';

/** The agent bill of materials sent at identity registration (SPEC §2.4). Never persisted. */
export const AgentBillOfMaterials = z.object({
  agent_version: z.string(),
  agent_harness_id: z.string(),
  running_location: z.string(),
});
export type AgentBillOfMaterials = z.infer<typeof AgentBillOfMaterials>;

/**
 * Rust's `std::env::consts::OS` name for a Node platform: `darwin` → `macos`, `win32` →
 * `windows`; the others (`linux`, `freebsd`, `openbsd`, …) are spelled the same in both.
 */
export function rustOsName(nodePlatform: NodeJS.Platform): string {
  switch (nodePlatform) {
    case 'darwin':
      return 'macos';
    case 'win32':
      return 'windows';
    default:
      return nodePlatform;
  }
}

export interface BillOfMaterialsOptions {
  /** The agent runtime's version (the `core` package's). */
  agentVersion: string;
  /** Chosen by the app, e.g. `codex-cli`. */
  harnessId: string;
  /** Where the session came from, e.g. `cli`, `vscode`, `exec`. */
  sessionSource: string;
  /** Defaults to `process.platform`. */
  platform?: NodeJS.Platform;
}

/** `running_location` is `"<session source>-<Rust os name>"`, e.g. `cli-macos`. */
export function buildBillOfMaterials(options: BillOfMaterialsOptions): AgentBillOfMaterials {
  const os = rustOsName(options.platform ?? process.platform);
  return {
    agent_version: options.agentVersion,
    agent_harness_id: options.harnessId,
    running_location: `${options.sessionSource}-${os}`,
  };
}
