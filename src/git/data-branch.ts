import { cp, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LabbookError } from '../errors/index.ts';
import { backoffDelay, type BackoffOptions } from './backoff.ts';
import { GitError } from './git-error.ts';
import { pushRejectionReason } from './push-rejection.ts';
import { RunFolderTakenError } from './run-folder-taken-error.ts';
import { runGit, type GitOutput } from './run-git.ts';

export interface DataBranchOptions {
  /** The remote repository (an https URL, or a path to a bare repository in tests). */
  remoteUrl: string;
  branch: string;
  /** A folder that does not exist yet or is empty; the checkout lives there. */
  dir: string;
  /**
   * A token sent as HTTP basic auth to URLs that start with `urlPrefix`, the way
   * actions/checkout does it. It is written to the checkout's own `.git/config`, which
   * `dispose()` deletes.
   */
  auth?: { urlPrefix: string; token: string };
  committer: { name: string; email: string };
  env?: NodeJS.ProcessEnv;
}

/** What one commit adds. Paths in `to` are relative to the repository root, with `/`. */
export interface ChangeSet {
  /** Folders copied as they are. Each must be new on the branch: a run owns its folder. */
  folders: { from: string; to: string }[];
  /** Files added only when the branch has none at that path (a new experiment's `experiment.yaml`). */
  filesIfMissing: { from: string; to: string }[];
  /**
   * Folders removed (`labbook gc`'s runs). One already gone upstream is no conflict: the
   * removal simply has nothing left to do on the new tip.
   */
  removeFolders?: string[];
  message: string;
}

export interface PushOptions {
  /** Pushes tried in all, the first included. */
  attempts: number;
  backoff: BackoffOptions;
  /** Returns a number in [0, 1); `Math.random` unless a caller needs repeatable waits. */
  random?: () => number;
  wait?: (ms: number) => Promise<unknown>;
  /** Called before each retry, to say in the log what happens. */
  onRetry?: (attempt: number, delayMs: number, reason: string) => void;
}

export type PushResult =
  | { kind: 'pushed'; commit: string; attempts: number; createdBranch: boolean }
  | { kind: 'failed'; attempts: number; reason: string; permanent: boolean };

/**
 * Rejections that no retry can cure: branch protection, a read-only token, bad credentials.
 * Anything else (a lost race, a network hiccup) is retried.
 */
const PERMANENT_PUSH_FAILURE =
  /protected branch|permission to .* denied|permission denied|write access .* not granted|authentication failed|invalid username or password|\b403\b|GH006|GH013/i;

/**
 * The one owner of git for Labbook's data commits. It keeps a shallow (`--depth=1`), blob-less
 * (`--filter=blob:none`), sparse checkout of the data branch in a folder of its own, so a data
 * history of any size costs one commit's trees to fetch, and it never touches the user's
 * checkout. A commit only adds new folders (a run's) or removes whole ones (gc); a rejected push is retried after a fetch
 * and a rebase of that one commit, with jittered backoff. It never force-pushes and never
 * rewrites a commit it did not make.
 */
export class DataBranch {
  readonly dir: string;
  readonly branch: string;
  #options: DataBranchOptions;
  /** The remote tip the checkout stands on; null while the branch does not exist there. */
  #tip: string | null = null;
  /** The commit our own commit was made on; null when ours is the root of a new branch. */
  #base: string | null = null;
  #change: ChangeSet | null = null;
  #sparse = new Set<string>();

  private constructor(options: DataBranchOptions) {
    this.#options = options;
    this.dir = options.dir;
    this.branch = options.branch;
  }

  /** Makes the checkout: the branch's tip if it exists, else an empty orphan branch of that name. */
  static async open(options: DataBranchOptions): Promise<DataBranch> {
    if (!/^[A-Za-z0-9._/-]+$/.test(options.branch) || options.branch.includes('..') || options.branch.startsWith('-')) {
      throw new LabbookError(`invalid data branch name "${options.branch}"`);
    }
    const data = new DataBranch(options);
    await mkdir(options.dir, { recursive: true });
    await data.#git('init', '-q');
    await data.#git('config', 'user.name', options.committer.name);
    await data.#git('config', 'user.email', options.committer.email);
    await data.#git('config', 'commit.gpgsign', 'false');
    await data.#git('remote', 'add', 'origin', options.remoteUrl);
    if (options.auth) {
      const basic = Buffer.from(`x-access-token:${options.auth.token}`).toString('base64');
      await data.#git('config', `http.${options.auth.urlPrefix}.extraheader`, `AUTHORIZATION: basic ${basic}`);
    }
    await data.#git('sparse-checkout', 'set', '--cone');
    await data.#fetch();
    if (data.#tip) {
      await data.#git('checkout', '-q', '-B', options.branch, `refs/remotes/origin/${options.branch}`);
    } else {
      await data.#git('symbolic-ref', 'HEAD', `refs/heads/${options.branch}`);
    }
    data.#base = data.#tip;
    return data;
  }

  /** Whether the branch existed on the remote at the last fetch. */
  get exists(): boolean {
    return this.#tip !== null;
  }

  get tip(): string | null {
    return this.#tip;
  }

  /** Whether a file or folder exists at the fetched tip (reads trees only, no file contents). */
  async has(path: string): Promise<boolean> {
    if (!this.#tip) return false;
    const out = await this.#git2(['rev-parse', '--verify', '--quiet', `${this.#tip}:${path}`], [1, 128]);
    return out.exitCode === 0;
  }

  /** Names in a folder at the fetched tip, sorted; empty when there is no such folder. */
  async list(path: string): Promise<string[]> {
    if (!(await this.has(path))) return [];
    const out = await this.#git('ls-tree', '--name-only', `${this.#tip}:${path}`);
    return out.stdout.split('\n').filter(Boolean).sort();
  }

  /** A file's text at the fetched tip (fetching that one blob), or null when absent. */
  async readText(path: string): Promise<string | null> {
    if (!(await this.has(path))) return null;
    return (await this.#git('cat-file', 'blob', `${this.#tip}:${path}`)).stdout;
  }

  /** Checks these folders out in full (fetching their files); returns their local paths. */
  async include(folders: string[]): Promise<string[]> {
    const fresh = folders.filter((f) => !this.#sparse.has(f));
    if (fresh.length > 0) {
      await this.#git('sparse-checkout', 'add', '--', ...fresh);
      for (const folder of fresh) this.#sparse.add(folder);
    }
    return folders.map((folder) => join(this.dir, folder));
  }

  /** Makes the one commit this checkout will push. */
  async commit(change: ChangeSet): Promise<string> {
    if (this.#change) throw new LabbookError('this data checkout already holds a commit');
    this.#change = change;
    await this.#apply(change);
    return this.#head();
  }

  /**
   * Pushes the commit. A rejected push fetches the new tip, rebases the commit onto it and
   * tries again after a jittered, growing wait, up to `attempts` pushes in all.
   */
  async push(options: PushOptions): Promise<PushResult> {
    if (!this.#change) throw new LabbookError('nothing to push: commit first');
    const random = options.random ?? Math.random;
    const wait = options.wait ?? sleep;
    const createdBranch = !this.exists;
    let lastReason = '';
    for (let attempt = 1; attempt <= options.attempts; attempt++) {
      try {
        await this.#git('push', '--porcelain', 'origin', `HEAD:refs/heads/${this.branch}`);
        return { kind: 'pushed', commit: await this.#head(), attempts: attempt, createdBranch: createdBranch && this.#base === null };
      } catch (error) {
        if (!(error instanceof GitError)) throw error;
        lastReason = pushRejectionReason(error.stdout, error.stderr) || error.message;
        if (PERMANENT_PUSH_FAILURE.test(`${lastReason}\n${error.stderr}`))
          return { kind: 'failed', attempts: attempt, reason: lastReason, permanent: true };
      }
      if (attempt === options.attempts) break;
      const delay = backoffDelay(attempt, random(), options.backoff);
      options.onRetry?.(attempt, delay, firstLine(lastReason));
      await wait(delay);
      try {
        await this.#fetch();
        await this.#rebase();
      } catch (error) {
        if (error instanceof RunFolderTakenError) return { kind: 'failed', attempts: attempt, reason: error.message, permanent: true };
        if (!(error instanceof GitError)) throw error;
        lastReason = error.message; // a failed fetch is retried like a failed push
      }
    }
    return { kind: 'failed', attempts: options.attempts, reason: lastReason, permanent: false };
  }

  /** Deletes the checkout, and with it the token in its config. */
  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  async #fetch(): Promise<void> {
    const ref = `refs/heads/${this.branch}`;
    const remote = await this.#git('ls-remote', '--heads', 'origin', ref);
    if (!remote.stdout.trim()) {
      this.#tip = null;
      return;
    }
    await this.#git('fetch', '-q', '--no-tags', '--depth=1', '--filter=blob:none', 'origin', `+${ref}:refs/remotes/origin/${this.branch}`);
    this.#tip = (await this.#git('rev-parse', `refs/remotes/origin/${this.branch}`)).stdout.trim();
  }

  /**
   * Moves our one commit onto the new tip. `git rebase` does it when it can; should it stop
   * on a conflict (only possible in a file added "if missing" that someone else added with other
   * content), the commit is made again from the change set on the new tip, which then keeps
   * their file.
   */
  async #rebase(): Promise<void> {
    if (!this.#tip || this.#tip === this.#base) return; // nothing new upstream: just push again
    const from = this.#base === null ? ['--root'] : [this.#base];
    try {
      await this.#git('rebase', '-q', '--onto', this.#tip, ...from);
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      await this.#git2(['rebase', '--abort'], [128]);
      await this.#git('checkout', '-q', '-f', '-B', this.branch, this.#tip);
      await this.#apply(this.#change!);
    }
    this.#base = this.#tip;
  }

  async #apply(change: ChangeSet): Promise<void> {
    for (const folder of change.folders) {
      if (await this.has(folder.to)) throw new RunFolderTakenError(folder.to, this.branch);
    }
    await this.include(change.folders.map((f) => f.to));
    const paths: string[] = [];
    for (const folder of change.folders) {
      await cp(folder.from, join(this.dir, folder.to), { recursive: true, errorOnExist: true, force: false });
      paths.push(folder.to);
    }
    for (const file of change.filesIfMissing) {
      if (await this.has(file.to)) continue;
      await mkdir(dirname(join(this.dir, file.to)), { recursive: true });
      await cp(file.from, join(this.dir, file.to));
      paths.push(file.to);
    }
    if (paths.length > 0) await this.#git('add', '--sparse', '--', ...paths);
    for (const folder of change.removeFolders ?? []) {
      if (await this.has(folder)) await this.#git('rm', '-r', '-q', '--sparse', '--ignore-unmatch', '--', folder);
    }
    // --allow-empty: removals someone else already made leave nothing to change, which is no failure.
    await this.#git('commit', '-q', '--no-verify', '--allow-empty', '-m', change.message);
  }

  async #head(): Promise<string> {
    return (await this.#git('rev-parse', 'HEAD')).stdout.trim();
  }

  #git(...args: string[]): Promise<GitOutput> {
    return runGit(args, { cwd: this.dir, env: this.#options.env });
  }

  #git2(args: string[], okExitCodes: number[]): Promise<GitOutput> {
    return runGit(args, { cwd: this.dir, env: this.#options.env, okExitCodes });
  }
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? text
  );
}
