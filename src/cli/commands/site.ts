import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '#lib/errors/index.ts';
import { buildSite, normalizeBase } from '#site/build/build-site.ts';
import { startStaticServer } from '#site/build/static-server.ts';
import { readProjectConfig } from '#lib/store/project-config.ts';
import { unknownSubCommand } from '../unknown-sub-command.ts';
import type { Command, CommandContext, ParsedArgs } from '#lib/cli/command.ts';
import { basePath, branchName, cacheFolder, hostName, portNumber, repositoryName, siteOrigin } from '../site-options.ts';
import { readSiteBudget } from '#site/build/site-budget/site-budget-setting.ts';
import { quietProgress, siteBuiltLines } from '../site-build-report.ts';

const USAGE = `usage: labbook site build [--data <dir>] [--out <dir>] [--base /repo/] [--site <origin>]
                          [--repository owner/name] [--data-branch <branch>] [--cache <dir>] [--force]
                          [--verbose]
       labbook site preview [--out <dir>] [--base /repo/] [--port 4321] [--host 127.0.0.1]

build    builds the static site from the data folder into --out (default: _site at the
         repository root). A folder holding files no Labbook build made is refused
         unless --force; the new site is built beside it and swapped in when complete.
         --base is the path the site is served
         under (GitHub Pages project sites: /<repository>/); --site its http(s) address
         (https://me.github.io).
         --repository (or --repo; default $LABBOOK_REPOSITORY, else "repository" in
         labbook.config.yaml, else $GITHUB_REPOSITORY) is where commits of local runs link and
         where the "Add metric / label" form proposes annotations; CI runs use the repository
         that made them. --data-branch (default $LABBOOK_DATA_BRANCH, else "dataBranch" in
         labbook.config.yaml, else main) is the branch that holds the data, where annotation
         pull requests go. --cache <dir> (default
         $LABBOOK_SITE_CACHE) keeps each sealed run's site files keyed by its content digest: a
         rebuild copies an unchanged run's files back instead of reading its traces again (keep
         the folder between CI builds with actions/cache; deleting it only costs time).
         It prints a line or two of progress, Astro's warnings and errors in full, and a summary
         (pages, size, time, what next); --verbose prints Astro's whole log (every page it
         renders, with timings) instead of the progress lines.
preview  serves a built site on a local port, under the same base path.`;

/** A text setting of labbook.config.yaml (`repository`, `dataBranch`), or null. */
async function configured(ctx: CommandContext, key: 'repository' | 'dataBranch'): Promise<string | null> {
  const file = join(ctx.rootDir, 'labbook.config.yaml');
  if (!existsSync(file)) return null;
  const config = await readProjectConfig(file);
  return typeof config[key] === 'string' ? config[key] : null;
}

/**
 * An option's value (perhaps empty), else its environment variable's if it has one (an empty
 * one counts as unset), with how it was given, for the error that names it.
 */
function given(args: ParsedArgs, ctx: CommandContext, option: string, variable: string): Given | null {
  const flag = args.values[option] as string | undefined;
  if (flag !== undefined) return { value: flag, from: `--${option}` };
  const value = variable ? ctx.env[variable] : undefined;
  return value ? { value, from: `$${variable}` } : null;
}

/** A setting of labbook.config.yaml, with where it was given. */
const fromConfig = (value: string | null, key: string): Given | null => (value ? { value, from: `${key} in labbook.config.yaml` } : null);

interface Given {
  value: string;
  /** `--site`, `$LABBOOK_SITE` or `repository in labbook.config.yaml`. */
  from: string;
}

/** The data folder as a path inside the repository (`experiments`), or null when it lies outside. */
function dataPathInRepository(ctx: CommandContext): string | null {
  const rel = relative(ctx.rootDir, resolve(ctx.cwd, ctx.dataDir));
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return null;
  return rel.split(sep).join('/');
}

export const siteCommand: Command = {
  name: 'site',
  summary: 'build the static site (site build) or serve a built one (site preview)',
  usage: USAGE,
  options: {
    out: { type: 'string' },
    base: { type: 'string' },
    site: { type: 'string' },
    repo: { type: 'string' },
    repository: { type: 'string' },
    'data-branch': { type: 'string' },
    port: { type: 'string' },
    force: { type: 'boolean' },
    host: { type: 'string' },
    cache: { type: 'string' },
    verbose: { type: 'boolean' },
  },
  async run(args, ctx) {
    const [action, ...extra] = args.positionals;
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const outDir = resolve(ctx.cwd, (args.values.out as string | undefined) ?? join(ctx.rootDir, '_site'));
    const baseGiven = given(args, ctx, 'base', 'LABBOOK_BASE');
    const base = normalizeBase(baseGiven ? basePath(baseGiven.value, baseGiven.from) : '/');
    if (action === 'build') {
      // Every option is checked here, before the build: Astro would refuse some of them only
      // once it has started, with a stack trace.
      const siteGiven = given(args, ctx, 'site', 'LABBOOK_SITE');
      const site = siteGiven?.value ? siteOrigin(siteGiven.value, siteGiven.from) : undefined;
      const repositoryGiven =
        given(args, ctx, 'repository', '') ??
        given(args, ctx, 'repo', 'LABBOOK_REPOSITORY') ??
        fromConfig(await configured(ctx, 'repository'), 'repository') ??
        (ctx.env.GITHUB_REPOSITORY ? { value: ctx.env.GITHUB_REPOSITORY, from: '$GITHUB_REPOSITORY' } : null);
      const repository = repositoryGiven?.value ? repositoryName(repositoryGiven.value, repositoryGiven.from) : null;
      const dataBranchGiven =
        given(args, ctx, 'data-branch', 'LABBOOK_DATA_BRANCH') ?? fromConfig(await configured(ctx, 'dataBranch'), 'dataBranch');
      const dataBranch = dataBranchGiven ? branchName(dataBranchGiven.value, dataBranchGiven.from) : null;
      const cacheGiven = given(args, ctx, 'cache', 'LABBOOK_SITE_CACHE');
      const cacheDir = cacheGiven?.value ? cacheFolder(resolve(ctx.cwd, cacheGiven.value), cacheGiven.from) : undefined;
      const verbose = Boolean(args.values.verbose);
      const result = await buildSite({
        dataDir: ctx.dataDir,
        outDir,
        base,
        site,
        repository,
        serverUrl: ctx.env.GITHUB_SERVER_URL || null,
        dataBranch,
        dataPath: ctx.env.LABBOOK_DATA_PATH || dataPathInRepository(ctx),
        protect: [
          { path: ctx.rootDir, what: 'the repository' },
          { path: ctx.cwd, what: 'the working folder' },
        ],
        force: Boolean(args.values.force),
        budgetBytes: await readSiteBudget(ctx.rootDir),
        cacheDir,
        // Quiet: Astro says only what went wrong (warnings name their file; errors are thrown
        // as well, and main prints them), and the lines below say the rest.
        logLevel: verbose ? 'info' : 'warn',
        onEvent: verbose ? undefined : quietProgress(ctx.stdout),
      });
      const next = {
        base,
        ci: ctx.env.GITHUB_ACTIONS === 'true',
        pagesWorkflow: existsSync(join(ctx.rootDir, '.github', 'workflows', 'pages.yml')),
      };
      for (const line of siteBuiltLines(result, next)) ctx.stdout(line);
      return 0;
    }
    if (action === 'preview') {
      const portText = args.values.port as string | undefined;
      const port = portText === undefined ? 4321 : portNumber(portText, '--port');
      const hostText = args.values.host as string | undefined;
      const host = hostText === undefined ? '127.0.0.1' : hostName(hostText, '--host');
      if (!existsSync(join(outDir, 'index.html'))) throw new UsageError(`no built site in ${outDir}; run "labbook site build" first`);
      const server = await startStaticServer({ root: outDir, base, port, host });
      ctx.stdout(`serving ${outDir} at ${server.url} (Ctrl+C stops)`);
      await new Promise<void>((resolveStop) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(resolveStop);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      return 0;
    }
    throw unknownSubCommand('site', action, ['build', 'preview']);
  },
};
