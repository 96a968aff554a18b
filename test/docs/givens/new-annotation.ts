// Given for docs/annotations.md's browser-side sample: what the site's form knows.
import { openStore } from 'labbook';
const run = process.env.BASELINE!;
const trace = process.env.TRACE!;
const author = 'Grace Hopper';
const note = 'cites the 2019 manual';
const experiment = (await openStore('experiments').experiment('demo')).definition;
