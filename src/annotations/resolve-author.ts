import { runGit } from '../git/index.ts';

/**
 * Who is annotating: the `--author` given, else git's `user.name` (the name on the commit
 * that will carry the annotation), else the login name from the environment; null when none.
 */
export async function resolveAuthor(given: string | undefined, cwd: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  if (given?.trim()) return given.trim();
  try {
    const name = (await runGit(['config', 'user.name'], { cwd, okExitCodes: [1] })).stdout.trim();
    if (name) return name;
  } catch {
    // not a git repository, or no git: fall through to the environment
  }
  return env.USER?.trim() || env.USERNAME?.trim() || null;
}
