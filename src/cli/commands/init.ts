import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { UsageError } from '../../errors/index.ts';
import { initFiles, type InitSettings } from '../../init/init-files.ts';
import { checkedFlag, experimentName, parseLang, parseMetrics } from '../../init/init-options.ts';
import { nextSteps, type ProjectPackages } from '../../init/next-steps.ts';
import { existingFiles, writeInitFiles } from '../../init/write-init-files.ts';
import { gitignoreFile, notIgnored } from '../../init/git-ignores.ts';
import { TOOL_VERSION } from '../../store/version.ts';
import type { Command, CommandContext } from '../command.ts';
import { branchNameProblem } from '../../git/branch-name.ts';
import { formatBytes } from '../../text/format-bytes.ts';

const BRANCH = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/;
const REPO = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;

export const initCommand: Command = {
  name: 'init',
  summary: 'set up labbook in your repository: config, experiment, evaluation script, workflows',
  usage: `usage: labbook init [--experiment <name>] [--metric name:higher|lower]... [--lang js|ts|py]
                    [--data-branch <branch>] [--action-repo <owner/name>] [--action-ref <ref>]
                    [--data <dir>] [--force] [--dry-run]

Writes, at the repository root (the nearest folder up with .git or labbook.config.yaml):
  labbook.config.yaml                     the data folder (--data, default experiments) and
                                          the data branch
  <data>/<experiment>/experiment.yaml     the experiment and its metrics
  eval.mjs (or eval.ts with --lang ts)    a starter evaluation with labbook/sdk
  eval.py                                 the same for agents in other languages (Python,
                                          standard library only: appends trace lines);
                                          with --lang py, the only script
  data.jsonl, agent.yaml                  a small dataset and an agent config
  .gitignore                              when there is none: _site/ and node_modules/
  .github/workflows/{evaluate,pages,annotations,annotations-comment,deploy,report,gc}.yml
then prints the next steps. It refuses to replace an existing file unless --force, and
--dry-run lists what it would write without writing anything.

  --experiment     default: the repository folder's name, or "main"
  --metric         repeatable; the first is the primary metric (default correct:higher)
  --lang           js (plain Node, ESM; the default), ts (run with tsx) or py (Python:
                   eval.py alone, and an evaluate workflow that sets up Python, not Node)
  --data-branch    where CI commits runs (default labbook-data)
  --action-repo    the repository of the GitHub Action (default labbook-dev/labbook)
  --action-ref     its tag or commit sha (default v${TOOL_VERSION})`,
  options: {
    experiment: { type: 'string', short: 'e' },
    metric: { type: 'string', multiple: true },
    lang: { type: 'string' },
    'data-branch': { type: 'string' },
    'action-repo': { type: 'string' },
    'action-ref': { type: 'string' },
    force: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  },
  async run(args, ctx) {
    if (args.positionals.length > 0)
      throw new UsageError(`unexpected argument "${args.positionals[0]}" (init works in the current repository)`);
    const settings = initSettings(args.values, ctx);
    // A repository without a .gitignore gets one, so `git add .` leaves out the built site and
    // node_modules; one that has a .gitignore is never edited: the next steps name what to add.
    const unignored = notIgnored(ctx.rootDir);
    const hasGitignore = existsSync(join(ctx.rootDir, '.gitignore'));
    const files = [...initFiles(settings), ...(unignored.length > 0 && !hasGitignore ? [gitignoreFile(unignored)] : [])];
    const force = Boolean(args.values.force);
    if (args.values['dry-run']) {
      const existing = new Set(existingFiles(ctx.rootDir, files));
      ctx.stdout(`labbook init --dry-run in ${ctx.rootDir}: would write`);
      for (const file of files) {
        const note = existing.has(file.path) ? (force ? ' (replacing the existing file)' : ' (exists: refused without --force)') : '';
        ctx.stdout(`  ${file.path} (${formatBytes(Buffer.byteLength(file.text))})${note}`);
      }
      ctx.stdout('nothing was written.');
      return existing.size > 0 && !force ? 1 : 0;
    }
    const result = await writeInitFiles(ctx.rootDir, files, force);
    const replaced = new Set(result.replaced);
    ctx.stdout(`labbook init: wrote ${result.written.length} files in ${ctx.rootDir}`);
    for (const path of result.written) ctx.stdout(`  ${path}${replaced.has(path) ? ' (replaced)' : ''}`);
    ctx.stdout('\nnext steps:');
    const toIgnore = hasGitignore ? unignored.map(({ path }) => path) : [];
    for (const line of nextSteps(settings, await projectPackages(ctx.rootDir), toIgnore)) ctx.stdout(line);
    return 0;
  },
};

function initSettings(values: Record<string, unknown>, ctx: CommandContext): InitSettings {
  const dataPath = relative(ctx.rootDir, ctx.dataDir);
  if (!dataPath || dataPath.startsWith('..') || isAbsolute(dataPath)) {
    throw new UsageError(`--data must be a folder inside the repository (${ctx.rootDir}), not ${ctx.dataDir}`);
  }
  return {
    experiment: experimentName(values.experiment as string | undefined, ctx.rootDir),
    metrics: parseMetrics(values.metric as string[] | undefined),
    lang: parseLang(values.lang as string | undefined),
    dataPath: dataPath.split(sep).join('/'),
    dataBranch: dataBranchFlag((values['data-branch'] as string | undefined) ?? 'labbook-data'),
    defaultBranch: currentBranch(ctx.rootDir),
    actionRepo: checkedFlag(
      'action-repo',
      (values['action-repo'] as string | undefined) ?? 'labbook-dev/labbook',
      REPO,
      'write owner/name',
    ),
    actionRef: checkedFlag(
      'action-ref',
      (values['action-ref'] as string | undefined) ?? `v${TOOL_VERSION}`,
      BRANCH,
      'not a tag, branch or commit sha',
    ),
    version: TOOL_VERSION,
  };
}

function dataBranchFlag(value: string): string {
  const problem = branchNameProblem(value);
  if (problem) throw new UsageError(`--data-branch "${value}": not a branch name: ${problem}`);
  return value;
}

/** The branch the workflows treat as the default: the checked-out one, else `main`. */
function currentBranch(rootDir: string): string {
  try {
    const branch = execFileSync('git', ['symbolic-ref', '--short', 'HEAD'], {
      cwd: rootDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return BRANCH.test(branch) ? branch : 'main';
  } catch {
    return 'main';
  }
}

/** Whether the project has a package.json, and the packages it lists (an unreadable one lists none). */
async function projectPackages(rootDir: string): Promise<ProjectPackages> {
  const file = join(rootDir, 'package.json');
  if (!existsSync(file)) return { hasPackageJson: false };
  try {
    const json = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    const names = ['dependencies', 'devDependencies', 'optionalDependencies'].flatMap((key) => {
      const listed = json[key];
      return listed && typeof listed === 'object' ? Object.keys(listed) : [];
    });
    return { hasPackageJson: true, declared: new Set(names) };
  } catch {
    return { hasPackageJson: true, declared: new Set() };
  }
}
