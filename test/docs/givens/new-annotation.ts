// Given for docs/annotations.md's browser-side sample: what the site's form knows.
import { readExperiment } from './src/store/store.ts';
const run = process.env.BASELINE!;
const trace = process.env.TRACE!;
const author = 'Grace Hopper';
const note = 'cites the 2019 manual';
const experiment = await readExperiment('experiments', 'demo');
