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

/** The JavaScript or TypeScript evaluation, and the command that runs it. */
const SCRIPT: Record<InitLang, { file: string; command: string }> = {
  js: { file: 'eval.mjs', command: 'node eval.mjs' },
  ts: { file: 'eval.ts', command: 'npx tsx eval.ts' },
};

/** The Python evaluation, written beside it for agents in other languages. */
export const PYTHON_SCRIPT = { file: 'eval.py', command: 'python3 eval.py' };

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
    setupSteps: NODE_SETUP_STEPS,
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
    { path: PYTHON_SCRIPT.file, text: renderInitTemplate(PYTHON_SCRIPT.file, values) },
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
