import { buildBillOfMaterials, type AgentBillOfMaterials } from '@agent-identity/protocol';
import { CORE_VERSION } from '../runtime/version.js';

/** The app-chosen parts of the bill of materials (SPEC §2.4). */
export interface BillOfMaterialsParts {
  /** Default: this package's version. */
  readonly agentVersion?: string;
  /** Chosen by the app, e.g. `codex-cli`. Default `agent-identity`. */
  readonly harnessId?: string;
  /** Where sessions come from, e.g. `cli`, `vscode`, `exec`. Default `cli`. */
  readonly sessionSource?: string;
  /** Default `process.platform`. */
  readonly platform?: NodeJS.Platform;
}

/** The runtime's bill of materials: built once per runtime from its options, never persisted. */
export function runtimeBillOfMaterials(parts: BillOfMaterialsParts = {}): AgentBillOfMaterials {
  return buildBillOfMaterials({
    agentVersion: parts.agentVersion ?? CORE_VERSION,
    harnessId: parts.harnessId ?? 'agent-identity',
    sessionSource: parts.sessionSource ?? 'cli',
    ...(parts.platform === undefined ? {} : { platform: parts.platform }),
  });
}
