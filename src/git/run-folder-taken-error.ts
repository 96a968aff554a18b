import { LabbookError } from '../errors/index.ts';

/** A run folder that already exists on the data branch: never overwritten. */
export class RunFolderTakenError extends LabbookError {
  override name = 'RunFolderTakenError';
  constructor(
    readonly path: string,
    branch: string,
  ) {
    super(`${path} already exists on the data branch "${branch}"; a run's folder is never overwritten`);
  }
}
