#!/usr/bin/env node
// `npm run demo [-- --no-serve] [-- --dir <folder>]`: the product as a team sees it, in a
// folder of its own (default .demo/, ignored by git). See scripts/demo/main.ts.
import { register } from 'tsx/esm/api';

register();
await import('./demo/main.ts');
