export { DataBranch, type ChangeSet, type DataBranchOptions, type PushOptions, type PushResult } from './data-branch.ts';
export { backoffDelay, type BackoffOptions } from './backoff.ts';
export { GitError } from './git-error.ts';
export { RunFolderTakenError } from './run-folder-taken-error.ts';
export { runGit } from './run-git.ts';
