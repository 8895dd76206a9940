import packageJson from '../../package.json' with { type: 'json' };

/** This package's version: the default `agent_version` of the bill of materials (SPEC §2.4). */
export const CORE_VERSION: string = packageJson.version;
