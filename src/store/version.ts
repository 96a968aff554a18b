import packageJson from '../../package.json' with { type: 'json' };

/** Labbook's version, recorded in every run it writes. */
export const TOOL_VERSION: string = packageJson.version;
