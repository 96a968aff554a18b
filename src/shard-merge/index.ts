export { mergeShardRuns, type MergeShardRunsOptions, type MergeShardRunsResult } from './merge-shard-runs.ts';
export { selectShardRuns, type ShardCandidate, type ShardSelection, type ShardSelectionCriteria } from './select-shard-runs.ts';
export { parseShardRunId, shardRunId, type ShardRunIdParts, type WorkflowRunRef } from './shard-run-id.ts';
