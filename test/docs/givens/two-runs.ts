// Given for samples that compare or summarise two runs: the seeded baseline and candidate.
const runA = process.env.BASELINE!;
const runB = process.env.CANDIDATE!;
