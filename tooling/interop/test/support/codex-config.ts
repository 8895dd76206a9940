import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CodexVersion } from './codex-binary.js';

/** What a Codex home's `config.toml` points at. */
export interface CodexConfig {
  /** The release that reads it: feature names and the bundled models differ between releases. */
  readonly version: CodexVersion;
  /** The backend base URL, e.g. the reference backend's `…/backend-api`. */
  readonly baseUrl: string;
  /** A model catalog file (`codex debug models --bundled`): Codex then never fetches one. */
  readonly modelCatalogPath: string;
}

/**
 * Per release: a model of its bundled catalog (an unknown one only costs a warning), and the
 * features that call ChatGPT services the reference backend does not play (a key a release does
 * not know is a warning too).
 */
const releases: Readonly<Record<CodexVersion, { readonly model: string; readonly featuresOff: readonly string[] }>> = {
  '0.122': { model: 'gpt-5', featuresOff: ['apps', 'plugins', 'tool_suggest', 'general_analytics'] },
  '0.171': { model: 'gpt-5.5', featuresOff: ['apps', 'plugins', 'tool_suggest'] },
};

/** A TOML basic string: JSON's escapes are a subset of TOML's. */
const tomlString = (value: string): string => JSON.stringify(value);

/**
 * Codex's `config.toml` for agent identity against `baseUrl` (issue 10's set-up facts): the
 * ChatGPT base URL, a Responses model provider at `{baseUrl}/v1` with the ChatGPT login's auth and
 * no WebSocket, and `features.use_agent_identity`. Codex's other ChatGPT services (apps, plugins,
 * tool suggestions, analytics, the model catalog, update checks) are turned off: the reference
 * backend does not play them, and a test run must not reach the internet.
 */
export async function writeCodexConfig(home: string, config: CodexConfig): Promise<void> {
  const base = config.baseUrl.replace(/\/+$/, '');
  const release = releases[config.version];
  const toml = `chatgpt_base_url = ${tomlString(`${base}/`)}
model_provider = "reference"
model = ${tomlString(release.model)}
model_catalog_json = ${tomlString(config.modelCatalogPath)}
check_for_update_on_startup = false

[model_providers.reference]
name = "reference backend"
base_url = ${tomlString(`${base}/v1`)}
wire_api = "responses"
requires_openai_auth = true
supports_websockets = false

[features]
use_agent_identity = true
${release.featuresOff.map((feature) => `${feature} = false`).join('\n')}

[analytics]
enabled = false
`;
  await writeFile(join(home, 'config.toml'), toml);
}
