import { readFileSync } from 'node:fs';
import { packagePath } from './package-root.ts';

/**
 * Labbook's version, recorded in every run it writes. Read from package.json at run time (not
 * imported, which would copy package.json into the compiled package); the action's bundle
 * embeds it instead (scripts/build-action.js).
 */
export const TOOL_VERSION: string = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
