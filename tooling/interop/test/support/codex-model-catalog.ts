import { writeFile } from 'node:fs/promises';
import type { CodexBinary } from './codex-binary.js';
import { runCodex, type CodexPlace } from './codex-process.js';

/**
 * Writes the model catalog shipped inside the binary (`codex debug models --bundled`) to `path`,
 * for `config.toml`'s `model_catalog_json`: Codex then never fetches `/codex/models` from ChatGPT.
 */
export async function writeBundledModelCatalog(binary: CodexBinary, place: CodexPlace, path: string): Promise<void> {
  const run = await runCodex(binary, ['debug', 'models', '--bundled'], place);
  if (run.code !== 0) throw new Error(`codex debug models --bundled exited with ${run.code}: ${run.stderr}`);
  await writeFile(path, run.stdout);
}
