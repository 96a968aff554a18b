// Given for docs/analysis.md's streaming sample: `run`, as the sample before it opened it.
import { openStore } from 'labbook';
const run = await openStore('experiments').run(process.env.BASELINE!);
