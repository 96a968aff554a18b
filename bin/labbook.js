#!/usr/bin/env node
// The `labbook` command. It loads the TypeScript sources through tsx's loader so that the
// CLI always runs the code in this checkout; no build step stands between an edit and a run.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
