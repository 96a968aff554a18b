import type { InitLang, InitMetric } from './init-options.ts';
import { renderInitTemplate } from './render-template.ts';

export interface InitSettings {
  experiment: string;
  metrics: InitMetric[];
  lang: InitLang;
  /** The data folder relative to the repository root (`experiments`). */
  dataPath: string;
  dataBranch: string;
  defaultBranch: string;
  /** `owner/labbook`: the repository whose `action/` folder the workflows use. */
  actionRepo: string;
  /** The tag (or commit sha) of the action. */
  actionRef: string;
  /** The labbook package version the workflows install. */
  version: string;
}

/** One file `labbook init` writes: its path relative to the repository root, and its text. */
export interface InitFile {
  path: string;
  text: string;
}

/** The Python evaluation: the one script of `--lang py`, and beside the others for agents in other languages. */
export const PYTHON_SCRIPT = { file: 'eval.py', command: 'python3 eval.py' };

/** The evaluation of each language, and the command that runs it. */
const SCRIPT: Record<InitLang, { file: string; command: string }> = {
  js: { file: 'eval.mjs', command: 'node eval.mjs' },
  ts: { file: 'eval.ts', command: 'npx tsx eval.ts' },
  py: PYTHON_SCRIPT,
};

const WORKFLOWS = ['evaluate', 'pages', 'annotations', 'annotations-comment', 'deploy', 'report', 'gc'] as const;

/** The script file and the command that runs it, for the workflows and the next steps. */
export function evaluationScript(settings: Pick<InitSettings, 'lang'>): { path: string; command: string } {
  const script = SCRIPT[settings.lang];
  return { path: script.file, command: script.command };
}

/** Every file `labbook init` writes, rendered; nothing is written here. */
export function initFiles(settings: InitSettings): InitFile[] {
  const script = evaluationScript(settings);
  const values: Record<string, string> = {
    experiment: settings.experiment,
    dataPath: settings.dataPath,
    dataBranch: settings.dataBranch,
    defaultBranch: settings.defaultBranch,
    actionRepo: settings.actionRepo,
    actionRef: settings.actionRef,
    version: settings.version,
    evalCommand: script.command,
    setupSteps: settings.lang === 'py' ? PYTHON_SETUP_STEPS : NODE_SETUP_STEPS,
    description: JSON.stringify(`What ${settings.experiment} measures (edit me).`),
    metrics: settings.metrics.map(metricYaml).join('\n'),
    primaryMetric: JSON.stringify(settings.metrics[0]!.name),
    jsEvaluators: settings.metrics.map(jsEvaluator).join('\n'),
    pyScores: settings.metrics.map(pyScore).join('\n'),
  };
  const files: InitFile[] = [
    { path: 'labbook.config.yaml', text: renderInitTemplate('labbook.config.yaml', values) },
    {
      path: `${settings.dataPath}/${settings.experiment}/experiment.yaml`,
      text: renderInitTemplate('experiment.yaml', { ...values, experiment: JSON.stringify(settings.experiment) }),
    },
    { path: script.path, text: renderInitTemplate(SCRIPT[settings.lang].file, values) },
    ...(script.path === PYTHON_SCRIPT.file ? [] : [{ path: PYTHON_SCRIPT.file, text: renderInitTemplate(PYTHON_SCRIPT.file, values) }]),
    { path: 'data.jsonl', text: renderInitTemplate('data.jsonl', values) },
    { path: 'agent.yaml', text: renderInitTemplate('agent.yaml', values) },
  ];
  for (const workflow of WORKFLOWS) {
    files.push({ path: `.github/workflows/${workflow}.yml`, text: renderInitTemplate(`workflows/${workflow}.yml`, values) });
  }
  return files;
}

/** The steps before the action in the evaluate job of a JavaScript or TypeScript project. */
const NODE_SETUP_STEPS = `      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      # labbook is in your devDependencies (npm install --save-dev labbook): the script imports labbook/sdk.
      - name: Install dependencies
        run: npm ci`;

/**
 * The steps before the action in the evaluate job of a Python project. The action brings its own
 * Node and labbook, so no npm install; eval.py needs only the standard library, and an agent's
 * own packages come from its requirements.txt.
 */
const PYTHON_SETUP_STEPS = `      - uses: actions/setup-python@v5
        with:
          python-version: '3.12'
      # Your agent's packages (eval.py itself needs only the standard library).
      - name: Install dependencies
        run: if [ -f requirements.txt ]; then python3 -m pip install -r requirements.txt; fi`;

function metricYaml(metric: InitMetric): string {
  return `  - name: ${JSON.stringify(metric.name)}\n    direction: ${metric.direction}\n    kind: ${metric.kind}`;
}

/** The starter evaluator of a metric: a real check for the primary one, a placeholder otherwise. */
function jsEvaluator(metric: InitMetric, index: number): string {
  const way = `${metric.direction} is better`;
  if (index === 0) {
    return `  {
    // ${metric.name} (${way}): the expected answer appears in the output. Replace with your check.
    name: ${JSON.stringify(metric.name)},
    evaluate: ({ output, expected }) => Boolean(expected) && String(output ?? '').toLowerCase().includes(String(expected).toLowerCase()),
  },`;
  }
  return `  {
    // ${metric.name} (${way}): a placeholder (the answer's length in characters); measure what you mean.
    name: ${JSON.stringify(metric.name)},
    evaluate: ({ output }) => String(output ?? '').length,
  },`;
}

function pyScore(metric: InitMetric, index: number): string {
  const name = JSON.stringify(metric.name);
  if (index === 0) {
    return `        # ${metric.name} (${metric.direction} is better): the expected answer appears in the output. Replace with your check.
        {"name": ${name}, "value": bool(example.get("expected")) and str(example["expected"]).lower() in answer.lower()},`;
  }
  return `        # ${metric.name} (${metric.direction} is better): a placeholder (the answer's length); measure what you mean.
        {"name": ${name}, "value": len(answer)},`;
}
