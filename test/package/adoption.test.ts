import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, REPOSITORY } from '../action/harness.ts';
import { extractSamples } from '../docs/extract-samples.ts';
import { REPO } from '../docs/labbook-package.ts';
import { startFakeGithub, type FakeGithub } from '../github-api/fake-github.ts';
import { uploadArtifactStep } from '../github-api/upload-artifact-step.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { checkoutAction, loadWorkflow, noopAction, releasedAction, runWorkflow, type ActionHandler } from '../helpers/workflow-runner.ts';
import { launchChromium } from '../site/helpers/fixture-site.ts';

/**
 * The new user, end to end: `npm pack` this repository, then in a fresh git project install the
 * tarball and follow the README's "Use it in your repository" steps exactly as written (the
 * blocks marked `<!-- sample: run in a new project -->`, with `npm install … labbook` pointed
 * at the tarball because the package is not on the registry here). Nothing in the project
 * reaches back into this checkout: no tsx, no links, plain `node` and `python3`. Then the
 * workflows `init` wrote run job by job (test/helpers/workflow-runner.ts) against a bare remote
 * and the recorded GitHub API: two shards, their merge onto a new data branch, and the pages
 * build from that branch with the package installed by version.
 */
const root = tempDir('labbook-adoption-');
// The project sits at the depth of the runner's workspaces (root/jobs/<job>/workspace), so the
// lock file's relative `file:` path to the tarball resolves from both.
const project = join(root, 'jobs', 'seed', 'project');
const EXPERIMENT = 'support-bot';
let tarball = '';
let packedFiles: string[] = [];

/** What a user's shell has: PATH, HOME, a git identity; no CI variables, no tsx, no NODE_OPTIONS. */
const userEnv: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  USER: 'ada',
  LANG: 'C.UTF-8',
  GIT_AUTHOR_NAME: 'Ada',
  GIT_AUTHOR_EMAIL: 'ada@example.invalid',
  GIT_COMMITTER_NAME: 'Ada',
  GIT_COMMITTER_EMAIL: 'ada@example.invalid',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  // The registry is reachable here but the package's dependencies are already in npm's cache.
  npm_config_prefer_offline: 'true',
};

function sh(command: string, cwd = project, env = userEnv): { code: number | null; output: string; stdout: string; stderr: string } {
  const result = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', command], { cwd, env, encoding: 'utf8', timeout: 240_000 });
  return {
    code: result.status,
    output: `$ ${command}\n${result.stdout}${result.stderr}${result.error ? String(result.error) : ''}`,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

beforeAll(() => {
  // `npm pack` runs `prepack`, which compiles dist/ (scripts/build-package.js).
  const [pack] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', root], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
  ) as [{ filename: string; files: { path: string }[] }];
  tarball = join(root, pack.filename);
  packedFiles = pack.files.map((f) => f.path);
  mkdirSync(project, { recursive: true });
  expect(sh('git init -q -b main && npm init -y >/dev/null && printf "node_modules/\\n_site/\\n" > .gitignore').code).toBe(0);
}, 180_000);

describe('what npm pack ships', () => {
  it('is compiled JavaScript with declarations, the site and templates, and no tests, fixtures or benchmarks', () => {
    for (const needed of [
      'bin/labbook.js',
      'dist/src/cli/main.js',
      'dist/src/sdk/index.js',
      'dist/src/sdk/index.d.ts',
      'dist/schemas/index.js',
      'dist/vendor/zod.js',
      'schemas/json/trace.schema.json',
      'site/astro.config.ts',
      'templates/init/eval.py',
      'package.json',
      'README.md',
    ]) {
      expect(packedFiles, needed).toContain(needed);
    }
    // Top-level folders of the repository only: the site has page routes named experiments/.
    expect(
      packedFiles.filter((f) =>
        /\.test\.(ts|js|d\.ts)$|^(test|bench|examples|experiments|scripts|action|docs|\.github|\.ci)\/|\/__fixtures__\//.test(f),
      ),
    ).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
      dependencies: Record<string, string>;
    };
    for (const [entry, target] of Object.entries(manifest.exports)) {
      if (typeof target === 'string') continue;
      const { default: js, types } = target as { default: string; types: string };
      expect(packedFiles, `exports["${entry}"]`).toContain(js.replace(/^\.\//, ''));
      expect(packedFiles, `exports["${entry}"] types`).toContain(types.replace(/^\.\//, ''));
    }
    expect(Object.keys(manifest.dependencies), 'tsx is for the repository only').not.toContain('tsx');
  });
});

describe('a new project that follows the README', () => {
  const steps = extractSamples(readFileSync(join(REPO, 'README.md'), 'utf8'), 'README.md').filter((s) => s.marker?.kind === 'new-project');

  it(
    'installs the package, runs init, records runs from plain Node and Python, validates and builds its site',
    { timeout: 420_000 },
    () => {
      expect(steps.length, 'README.md has no <!-- sample: run in a new project --> blocks').toBeGreaterThanOrEqual(2);
      const script = steps.map((s) => `# ${s.where}\n${s.code}`).join('\n');
      expect(script).toMatch(/npm install --save-dev labbook\n/);
      // The one liberty taken: the package comes from the tarball, not the registry.
      const result = sh(script.replace(/npm install --save-dev labbook\n/, `npm install --save-dev ${JSON.stringify(tarball)}\n`));
      expect(result.code, result.output).toBe(0);

      // The package was installed, not linked, and nothing of this checkout was used.
      expect(lstatSync(join(project, 'node_modules', 'labbook')).isSymbolicLink()).toBe(false);
      expect(existsSync(join(project, 'node_modules', 'tsx'))).toBe(false);
      expect(result.output).not.toMatch(/EBADENGINE|ERR_UNKNOWN_FILE_EXTENSION/);

      const runsDir = join(project, 'experiments', EXPERIMENT, 'runs');
      const runs = readdirSync(runsDir).map(
        (id) =>
          JSON.parse(readFileSync(join(runsDir, id, 'run.json'), 'utf8')) as {
            id: string;
            status: string;
            counts: { traces: number };
            source: { kind: string };
          },
      );
      expect(runs.map((r) => r.status)).toEqual(['completed', 'completed']);
      const examples = readFileSync(join(project, 'data.jsonl'), 'utf8').trim().split('\n').length;
      for (const run of runs) expect(run.counts.traces, run.id).toBe(examples);
      expect(runs.every((r) => r.source.kind === 'local')).toBe(true);
      expect(existsSync(join(project, '_site', 'index.html'))).toBe(true);
    },
  );

  it(
    'imports labbook/sdk from plain Node with ESM and require, loading no site, chart, browser or GitHub library',
    { timeout: 60_000 },
    () => {
      writeFileSync(
        join(project, 'watch-loads.mjs'),
        [
          "import { register } from 'node:module';",
          "import { MessageChannel } from 'node:worker_threads';",
          'const { port1, port2 } = new MessageChannel();',
          'globalThis.loaded = [];',
          'port1.on("message", (url) => globalThis.loaded.push(url));',
          'port1.unref();',
          'const hooks = `let port; export function initialize(data) { port = data.port; } export async function resolve(specifier, context, next) { const result = await next(specifier, context); port.postMessage(result.url); return result; }`;',
          'register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { port: port2 }, transferList: [port2] });',
          '',
        ].join('\n'),
      );
      writeFileSync(
        join(project, 'import-sdk.mjs'),
        [
          "const sdk = await import('labbook/sdk');",
          'await new Promise((resolve) => setTimeout(resolve, 50));',
          'console.log(JSON.stringify({ exports: Object.keys(sdk), loaded: globalThis.loaded }));',
          '',
        ].join('\n'),
      );
      const esm = sh('node --import ./watch-loads.mjs import-sdk.mjs');
      expect(esm.code, esm.output).toBe(0);
      const { exports, loaded } = JSON.parse(esm.output.split('\n').find((line) => line.startsWith('{'))!) as {
        exports: string[];
        loaded: string[];
      };
      expect(exports).toEqual(expect.arrayContaining(['startRun', 'span', 'evaluators', 'labbookSpanExporter']));
      const packages = [...new Set(loaded.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []))].sort();
      expect(
        packages.filter((name) =>
          /^(astro|vite|vega.*|playwright.*|octokit|@octokit\/.*|@actions\/.*|nunjucks|papaparse|stream-json|stream-chain|tsx)$/.test(name),
        ),
        packages.join(', '),
      ).toEqual([]);
      // zod comes as one module (dist/vendor/zod.js, see scripts/build-package.js), not as its
      // package's 95, 64 of them translations of its messages.
      expect(packages).not.toContain('zod');
      const labbookFiles = loaded.filter((url) => url.includes('/node_modules/labbook/'));
      expect(labbookFiles.length).toBeGreaterThan(3);
      expect(labbookFiles.some((url) => url.endsWith('/node_modules/labbook/dist/vendor/zod.js'))).toBe(true);
      expect(labbookFiles.filter((url) => !/\/node_modules\/labbook\/dist\/.*\.js$/.test(url))).toEqual([]);

      writeFileSync(join(project, 'require-sdk.cjs'), "const { startRun } = require('labbook/sdk');\nconsole.log(typeof startRun);\n");
      const cjs = sh('node require-sdk.cjs');
      expect(cjs.code, cjs.output).toBe(0);
      expect(cjs.output).toContain('function');
    },
  );

  it('spawns the command of labbook run before loading what receiving, scoring, summing and sealing need', { timeout: 60_000 }, () => {
    // Every module the installed CLI resolves, in order (written by the loader's own thread before
    // the module loads), with a line at the command's spawn and the CommonJS modules loaded by then.
    const log = join(root, 'loads.log');
    const watch = join(root, 'watch-spawn.mjs');
    writeFileSync(
      watch,
      [
        "import childProcess from 'node:child_process';",
        "import { appendFileSync, writeFileSync } from 'node:fs';",
        "import { createRequire, register, syncBuiltinESMExports } from 'node:module';",
        `const log = ${JSON.stringify(log)};`,
        "writeFileSync(log, '');",
        "const hooks = `import { appendFileSync } from 'node:fs'; export async function resolve(specifier, context, next) { const result = await next(specifier, context); appendFileSync(${JSON.stringify(log)}, result.url + '\\\\n'); return result; }`;",
        'register(`data:text/javascript,${encodeURIComponent(hooks)}`);',
        'const cjs = createRequire(import.meta.url).cache;',
        'const spawn = childProcess.spawn;',
        'childProcess.spawn = function (...args) {',
        "  appendFileSync(log, `SPAWN ${Object.keys(cjs).join(' ')}\\n`);",
        '  return spawn.apply(this, args);',
        '};',
        'syncBuiltinESMExports();',
        '',
      ].join('\n'),
    );
    // In a data folder of its own, removed after: the project's runs stay the README's.
    const run = sh(
      `status=0; node --import ${JSON.stringify(watch)} node_modules/labbook/bin/labbook.js run --data probe-data --experiment probe --create --config agent.yaml --quiet -- node -e "setTimeout(() => {}, 300)" || status=$?; rm -rf probe-data; exit $status`,
    );
    expect(run.code, run.output).toBe(1); // a run that recorded nothing has failed
    expect(run.stdout, run.output).toMatch(/run \S+ failed \(the command recorded no traces\)/);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    const spawnAt = lines.findIndex((line) => line.startsWith('SPAWN '));
    expect(spawnAt, lines.join('\n')).toBeGreaterThan(0);
    const before = [...lines.slice(0, spawnAt), ...lines[spawnAt]!.slice('SPAWN '.length).split(' ')];
    const after = lines.slice(spawnAt + 1);
    // Loaded once the command is spawned, while its runtime starts, or after it exits; each
    // is looked for afterwards too, so a renamed module fails here rather than passing unseen.
    const later = [
      /\/node_modules\/protobufjs\//, // the receiver's decoding
      /\/dist\/src\/interop\/otlp\/live-traces\.js$/, // assembling received traces
      /\/dist\/src\/store\/trace-writer\.js$/, // writing them
      /\/dist\/src\/store\/trace-follower\.js$/, // following what the SDK appends
      /\/dist\/src\/aggregate\/aggregator\.js$/, // summing metrics
      /\/dist\/src\/store\/finish-run\.js$/, // sealing
    ];
    for (const module of later) {
      expect(before.filter((url) => module.test(url))).toEqual([]);
      expect(
        after.some((url) => module.test(url)),
        `${module} never loaded`,
      ).toBe(true);
    }
    // Only a problem to point at loads the `yaml` package; only a run that names one loads the
    // built-in evaluators.
    expect(before.filter((url) => /\/node_modules\/yaml\/|\/dist\/src\/sdk\/evaluators\//.test(url))).toEqual([]);
    expect(after.filter((url) => /\/dist\/src\/sdk\/evaluators\/from-config\.js$/.test(url))).toEqual([]);
  });

  it('imports labbook/compare, labbook/annotations and labbook/interop from plain Node, as the docs use them', { timeout: 60_000 }, () => {
    const subpaths = {
      'labbook/compare': ['compareRuns', 'comparePerTrace', 'prepareComparison', 'loadCompareInput'],
      'labbook/annotations': [
        'loadAnnotations',
        'annotationsForRuns',
        'checkAnnotations',
        'reducedValues',
        'judgesAndPeople',
        'judgeRowText',
        'buildNewFileLink',
        'validateNewAnnotation',
      ],
      'labbook/interop': [
        'streamOtlpFiles',
        'streamMlflowFiles',
        'importOtlp',
        'importMlflow',
        'importRun',
        'tracesToOtlpRequest',
        'writeOtlpFile',
      ],
    };
    writeFileSync(
      join(project, 'import-subpaths.mjs'),
      `const names = {};\nfor (const path of ${JSON.stringify(Object.keys(subpaths))}) { const module = await import(path); names[path] = Object.keys(module).filter((name) => typeof module[name] === 'function'); }\nconsole.log(JSON.stringify(names));\n`,
    );
    const result = sh('node import-subpaths.mjs');
    expect(result.code, result.output).toBe(0);
    const names = JSON.parse(result.output.split('\n').find((line) => line.startsWith('{'))!) as Record<string, string[]>;
    for (const [path, expected] of Object.entries(subpaths)) expect(names[path], path).toEqual(expect.arrayContaining(expected));
  });

  it('type-checks a TypeScript evaluation against the declarations', { timeout: 180_000 }, () => {
    const tsProject = join(root, 'ts-project');
    mkdirSync(tsProject);
    symlinkSync(join(project, 'node_modules'), join(tsProject, 'node_modules'), 'dir');
    writeFileSync(join(tsProject, 'package.json'), '{ "name": "ts-agent", "private": true, "type": "module" }\n');
    const init = sh('git init -q -b main && npx labbook init --experiment qa --lang ts', tsProject);
    expect(init.code, init.output).toBe(0);
    // A wrong use must fail, so the check is known to reach the declarations.
    writeFileSync(join(tsProject, 'wrong.ts'), "import { startRun } from 'labbook/sdk';\nawait startRun({ experiment: 42 });\n");
    const tsc = (file: string) => {
      const compilerOptions = {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
        typeRoots: [join(REPO, 'node_modules', '@types')],
      };
      writeFileSync(join(tsProject, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: [file] }));
      return spawnSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], {
        cwd: tsProject,
        encoding: 'utf8',
        timeout: 150_000,
      });
    };
    const good = tsc('eval.ts');
    expect(good.status, `${good.stdout}${good.stderr}`).toBe(0);
    const bad = tsc('wrong.ts');
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toMatch(/wrong\.ts.*experiment|not assignable to type 'string'/s);
  });

  it(
    'serves its site with a base path from the installed package, and Chromium opens a run and a trace',
    { timeout: 240_000 },
    async () => {
      const build = sh('npx labbook site build --base /my-agent/');
      expect(build.code, build.output).toBe(0);
      // In a process group of its own: npx runs labbook as a child, which must stop with it.
      const preview = spawn('npx', ['labbook', 'site', 'preview', '--base', '/my-agent/', '--port', '0'], {
        cwd: project,
        env: userEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      try {
        const url = await serving(preview);
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/my-agent\/$/);
        const browser = await launchChromium();
        try {
          const page = await browser.newPage();
          const errors: string[] = [];
          page.on('pageerror', (error) => errors.push(error.message));
          await page.goto(url);
          await page.locator('a', { hasText: EXPERIMENT }).first().click();
          await page.locator('table a[href*="/runs/"]').first().click();
          await page.locator('#tab-traces').click();
          await page.locator('#traces-table tr.row').first().waitFor();
          await page.locator('#traces-table tr.row a').first().click();
          await page.waitForURL('**/trace/?id=*');
          await page.locator('[role="treeitem"]').first().waitFor();
          await expect(page.locator('[role="treeitem"]').first().textContent()).resolves.toContain('answer');
          // Annotations are proposed to the data branch init's workflows use (dataBranch in
          // labbook.config.yaml), not to main, though no --data-branch was given.
          const target = JSON.parse((await page.locator('[data-annotate]').first().getAttribute('data-annotate'))!) as { branch: string };
          expect(target.branch).toBe('labbook-data');
          expect(errors).toEqual([]);
        } finally {
          await browser.close();
        }
      } finally {
        process.kill(-preview.pid!, 'SIGTERM');
      }
    },
  );
});

/**
 * Node 24, which many users run (and GitHub runs the action on): with LABBOOK_NODE24's folder
 * first on PATH, `node` and labbook's `#!/usr/bin/env node` start it. A short flow of the
 * installed package, in a project of its own beside the README's: every command exits 0 and
 * prints nothing of Node's own on stderr (a deprecation or experimental warning is what the next
 * Node breaks), and the reading commands answer byte for byte as under this Node for the same
 * runs. Skipped without LABBOOK_NODE24 (.ci/run sets it). The site build is left out for time
 * (8 s): the pages workflow `init` writes builds it on Node 20.
 */
const NODE24 = process.env.LABBOOK_NODE24;

describe.skipIf(!NODE24)('the installed package under Node 24 (LABBOOK_NODE24)', () => {
  const dir = join(root, 'node24-project');
  const agent = join(root, 'node24-otel-agent');
  /**
   * The temporary folder of the flow's processes, where Node 24 keeps V8's compiled code of the
   * package between commands: only bin/labbook.js turns that cache on (NODE_COMPILE_CACHE, which
   * would turn it on for every process, is not set).
   */
  const tmp = join(root, 'node24-tmp');
  const underNode = (binary: string): NodeJS.ProcessEnv => ({
    ...userEnv,
    PATH: `${dirname(binary)}:${join(dir, 'node_modules', '.bin')}:${userEnv.PATH}`,
  });
  /** The environment with Node 24 first on PATH (set once the suite runs: collecting it without one must not fail). */
  let node24: NodeJS.ProcessEnv;
  /** Lines a Node.js process writes about itself: `(node:123) [DEP0190] DeprecationWarning: …`. */
  const NODE_SAYS = /^.*(\(node:\d+\)|\b(Deprecation|Experimental)Warning\b|\[DEP\d{4}\]|--trace-(deprecation|warnings)).*$/gm;
  /** Reading commands whose output is compared with this Node's. */
  const READERS = ['labbook show js add-1', 'labbook compare js py otel --format json --traces', 'labbook export csv --compare js,py,otel'];
  const answers = new Map<string, string>();

  beforeAll(() => {
    node24 = { ...underNode(NODE24!), TMPDIR: tmp };
    mkdirSync(tmp);
    mkdirSync(dir);
    symlinkSync(join(project, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'package.json'), '{ "name": "agent-on-node-24", "private": true }\n');
    writeFileSync(
      join(dir, 'imports.mjs'),
      [
        "for (const path of ['labbook', 'labbook/sdk', 'labbook/schemas', 'labbook/compare', 'labbook/annotations', 'labbook/interop']) await import(path);",
        "const { createRequire } = await import('node:module');",
        "if (typeof createRequire(import.meta.url)('labbook/sdk').startRun !== 'function') process.exit(1);",
        '',
      ].join('\n'),
    );
    // An agent instrumented with OpenTelemetry only, its exporters from this repository's
    // node_modules as a user's come from theirs: what is tried is the receiver.
    mkdirSync(agent);
    symlinkSync(join(REPO, 'node_modules'), join(agent, 'node_modules'), 'dir');
    writeFileSync(join(agent, 'package.json'), '{ "type": "module" }\n');
    copyFileSync(join(REPO, 'test', 'otlp', 'fixtures', 'otel-agent.mjs'), join(agent, 'agent.mjs'));
  });

  it(
    'inits, records runs from node, Python and an OpenTelemetry agent, and runs the commands with no warning from Node',
    { timeout: 120_000 },
    () => {
      expect(sh('node --version', dir, node24).stdout).toMatch(/^v24\./);
      const run = 'labbook run --experiment n24 --config agent.yaml --dataset data.jsonl';
      const problems: string[] = [];
      for (const command of [
        'git init -q -b main',
        'labbook init --experiment n24',
        `${run} --name js -- node eval.mjs`,
        `${run} --name py -- python3 eval.py`,
        `${run} --name otel -- node ${agent}/agent.mjs`,
        'labbook validate',
        'labbook query js otel --by model',
        'labbook export otlp --run otel -o otel.json',
        'labbook import otel.json --experiment imported --config agent.yaml',
        'labbook annotate js add-1 --label verdict=good --author ada',
        'labbook annotations check',
        'labbook report js otel -o report.pdf',
        'labbook gc',
        'labbook rm py --dry-run',
        'node imports.mjs',
        ...READERS,
      ]) {
        const result = sh(command, dir, node24);
        if (result.code !== 0) problems.push(`exit ${result.code}: ${result.output}`);
        const said = result.stderr.match(NODE_SAYS);
        if (said) problems.push(`$ ${command}\n${said.join('\n')}`);
        answers.set(command, result.stdout);
      }
      expect(problems.join('\n\n')).toBe('');
      expect(readFileSync(join(dir, 'report.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
      // The commands kept the package's compiled code for the next (bin/labbook.js).
      expect(readdirSync(join(tmp, 'node-compile-cache'), { recursive: true }).length).toBeGreaterThan(0);
    },
  );

  it('answers the reading commands byte for byte as this Node does on the same runs', { timeout: 60_000 }, () => {
    for (const command of READERS) {
      const here = sh(command, dir, underNode(process.execPath));
      expect(here.code, here.output).toBe(0);
      expect(answers.get(command), command).toBe(here.stdout);
    }
  });
});

describe('a global install', () => {
  const prefix = join(root, 'global');

  it('builds a site from another working directory, and runs the standard-library Python script', { timeout: 240_000 }, () => {
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(elsewhere);
    const install = sh(`npm install --global --prefix ${JSON.stringify(prefix)} ${JSON.stringify(tarball)}`, root);
    expect(install.code, install.output).toBe(0);
    expect(install.output).not.toMatch(/EBADENGINE/);
    const labbook = join(prefix, 'bin', 'labbook');
    const run = sh(
      `${labbook} run --data ${project}/experiments --experiment ${EXPERIMENT} --config ${project}/agent.yaml --dataset ${project}/data.jsonl --name global -- python3 ${project}/eval.py`,
      elsewhere,
    );
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/run \S+ completed/);
    const build = sh(`${labbook} site build --data ${project}/experiments --out ${root}/global-site --base /team/`, elsewhere);
    expect(build.code, build.output).toBe(0);
    expect(readFileSync(join(root, 'global-site', 'index.html'), 'utf8')).toContain(`href="/team/experiments/${EXPERIMENT}/`);
    // Nothing was written where the command ran (Astro's caches stay inside the package's site/).
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('builds a site for an account that cannot write to the package (installed by root)', { timeout: 240_000 }, () => {
    const site = join(prefix, 'lib', 'node_modules', 'labbook', 'site');
    const before = readdirSync(site).sort();
    // The account's own folder: the site, and TMPDIR, where the mirror is made.
    const tmp = join(root, 'readonly-home');
    const out = join(tmp, 'site');
    mkdirSync(tmp);
    const command = `TMPDIR=${tmp} HOME=${tmp} ${join(prefix, 'bin', 'labbook')} site build --data ${project}/experiments --out ${out}`;
    let build: { code: number | null; output: string };
    if (process.getuid?.() === 0) {
      // Root writes anywhere: the build runs as `nobody`, who may read the package and the data.
      chmodSync(root, 0o755);
      execFileSync('chown', ['nobody', tmp]);
      build = sh(`runuser -u nobody -- env ${command}`, tmp);
    } else {
      execFileSync('chmod', ['-R', 'a-w', join(prefix, 'lib', 'node_modules', 'labbook')]);
      try {
        build = sh(`env ${command}`, tmp);
      } finally {
        execFileSync('chmod', ['-R', 'u+w', join(prefix, 'lib', 'node_modules', 'labbook')]);
      }
    }
    expect(build.code, build.output).toBe(0);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain(`href="/experiments/${EXPERIMENT}/`);
    // The build ran in a mirror in the temp folder, removed after; the package is as installed.
    expect(readdirSync(site).sort()).toEqual(before);
    expect(readdirSync(tmp)).toEqual(['site']);
  });
});

describe('the workflows labbook init wrote, run as GitHub would run them', () => {
  const remote = join(root, 'remote.git');
  const RUN_ID = 4242;
  let api: FakeGithub;
  let sha = '';

  beforeAll(async () => {
    api = await startFakeGithub({ repository: REPOSITORY });
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', remote]);
    // The user commits what init wrote, with package.json and its lock (labbook from the tarball).
    expect(sh('git add . && git commit -q -m "labbook init" && git push -q "$REMOTE" main'.replace('$REMOTE', remote)).code).toBe(0);
    sha = git(project, 'rev-parse', 'HEAD').trim();
    api.addWorkflowRun({ id: RUN_ID, headSha: sha });
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  /** upload-artifact: the evidence file (archive: false) becomes an artifact of this workflow run in the fake API. */
  const uploadArtifact: ActionHandler = async (call) => {
    if (call.with.archive === 'false') {
      uploadArtifactStep(api, RUN_ID, call.with.path!);
      return { code: 0, log: `uploaded ${call.with.path}` };
    }
    return { code: 0, log: `kept ${call.with.path}` };
  };

  const machine = (workflowFile: string, event: 'push' | 'workflow_dispatch', env: Record<string, string> = {}) => ({
    remote,
    root,
    repository: REPOSITORY,
    sha,
    event,
    workflowFile,
    runId: String(RUN_ID),
    apiUrl: api.url,
    branch: 'main',
    env: { npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', ...env },
    actions: {
      'actions/checkout': checkoutAction(remote),
      'actions/setup-node': noopAction,
      'labbook-dev/labbook/action': releasedAction(join(REPO, 'action')),
      'actions/upload-artifact': uploadArtifact,
    } as Record<string, ActionHandler>,
  });

  const logsOf = (jobs: Awaited<ReturnType<typeof runWorkflow>>) =>
    Object.values(jobs)
      .flatMap((job) => job.runs.flatMap((run) => run.steps.map((step) => `${step.label}: ${step.outcome}\n${step.log}`)))
      .join('\n');

  it(
    'evaluate: two shards of eval.mjs with plain node after npm ci, merged into one run on a new data branch',
    { timeout: 420_000 },
    async () => {
      const workflow = loadWorkflow(join(project, '.github', 'workflows', 'evaluate.yml'));
      const jobs = await runWorkflow(workflow, machine('.github/workflows/evaluate.yml', 'push'));
      const logs = logsOf(jobs);
      expect(jobs.evaluate!.result, logs).toBe('success');
      expect(jobs.evaluate!.runs).toHaveLength(2);
      expect(jobs.merge!.result, logs).toBe('success');
      for (const run of jobs.evaluate!.runs) {
        expect(run.steps.map((s) => `${s.label}: ${s.outcome}`)).toContain('Install dependencies: success');
        expect(run.steps.find((s) => s.label === 'labbook')!.log).toMatch(/evaluated \d examples/);
      }
      expect(logs).not.toMatch(/EBADENGINE|ERR_UNKNOWN_FILE_EXTENSION/);
      const runs = git(remote, 'ls-tree', '--name-only', `labbook-data:experiments/${EXPERIMENT}/runs`).trim().split('\n');
      expect(runs).toHaveLength(3); // two shards and the merged run
      const manifests = runs.map(
        (id) =>
          JSON.parse(git(remote, 'show', `labbook-data:experiments/${EXPERIMENT}/runs/${id}/run.json`)) as {
            counts: { traces: number };
            shard?: unknown;
            status: string;
            source: { kind: string };
          },
      );
      const whole = manifests.filter((m) => !m.shard);
      expect(whole).toHaveLength(1);
      expect(whole[0]).toMatchObject({ status: 'completed', counts: { traces: 5 }, source: { kind: 'ci' } });
    },
  );

  it(
    'pages: builds the site from the data branch with labbook installed by version, under the repository’s base path',
    { timeout: 300_000 },
    async () => {
      const workflow = loadWorkflow(join(project, '.github', 'workflows', 'pages.yml'));
      // The workflow installs `labbook@$LABBOOK_VERSION` from the registry; here the same install
      // takes the tarball instead (npm's `name@file:` spec), the one step that differs.
      workflow.env = { ...workflow.env, LABBOOK_VERSION: `file:${tarball}` };
      let pagesArtifact = '';
      const jobs = await runWorkflow(workflow, {
        ...machine('.github/workflows/pages.yml', 'workflow_dispatch'),
        actions: {
          ...machine('.github/workflows/pages.yml', 'workflow_dispatch').actions,
          'actions/upload-pages-artifact': async (call) => {
            pagesArtifact = join(call.workspace, call.with.path!);
            return existsSync(join(pagesArtifact, 'index.html'))
              ? { code: 0, log: `uploaded ${pagesArtifact}` }
              : { code: 1, log: `no site in ${pagesArtifact}` };
          },
          // The first build of a repository: the site cache has nothing to restore (the runner
          // saves it after the job, which this test does not need: the next build is not run).
          'actions/cache': async (call) => ({ code: 0, log: `cache miss for ${call.with.key}` }),
          'actions/deploy-pages': async (call) => {
            writeFileSync(call.outputFile, 'page_url=https://labbook-dev.github.io/labbook/\n');
            return { code: 0, log: 'deployed' };
          },
        },
      });
      const logs = logsOf(jobs);
      expect(jobs.build!.result, logs).toBe('success');
      expect(jobs.deploy!.result, logs).toBe('success');
      expect(logs).not.toMatch(/EBADENGINE/);
      const home = readFileSync(join(pagesArtifact, 'index.html'), 'utf8');
      const base = `/${REPOSITORY.split('/')[1]}/`;
      expect(home).toContain(`href="${base}experiments/${EXPERIMENT}/`);
      const experimentPage = readFileSync(join(pagesArtifact, 'experiments', EXPERIMENT, 'index.html'), 'utf8');
      expect(experimentPage).toContain(`https://github.com/${REPOSITORY}/`);
    },
  );
});

/** The URL `labbook site preview` prints once it listens. */
function serving(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`site preview did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /serving \S+ at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`site preview exited (${code}):\n${output}`));
    });
  });
}
