import { evaluationScript, PYTHON_SCRIPT, type InitSettings } from './init-files.ts';

/** The project's package.json as far as the next steps need it: absent, or the packages it lists. */
export type ProjectPackages = { hasPackageJson: false } | { hasPackageJson: true; declared: ReadonlySet<string> };

/** What to do after `labbook init`, as the lines it prints. */
export function nextSteps(settings: InitSettings, project: ProjectPackages, toIgnore: readonly string[] = []): string[] {
  const script = evaluationScript(settings);
  const run = (command: string) =>
    `npx labbook run --experiment ${settings.experiment} --config agent.yaml --dataset data.jsonl -- ${command}`;
  // What package.json does not list yet (the README installs labbook before init).
  const packages = [
    { name: 'labbook', spec: `labbook@${settings.version}` },
    ...(settings.lang === 'ts' ? [{ name: 'tsx', spec: 'tsx' }] : []),
  ];
  const needed = packages.filter(({ name }) => !project.hasPackageJson || !project.declared.has(name)).map(({ spec }) => spec);
  const install = `npm install --save-dev ${needed.join(' ')}`;
  const python = settings.lang === 'py';
  const why = python
    ? 'the labbook command, for runs on this machine; the evaluate workflow needs no npm install'
    : `${script.path} imports labbook/sdk; the evaluate workflow runs npm ci`;
  const steps = [
    ...(needed.length === 0
      ? []
      : [`Install ${needed.join(' and ')} (${why}):\n     ${project.hasPackageJson ? '' : 'npm init -y && '}${install}`]),
    python
      ? `Run the evaluation (standard library only); it records a run under ${settings.dataPath}/${settings.experiment}/runs/:\n     ${run(script.command)}`
      : `Run the evaluation; it records a run under ${settings.dataPath}/${settings.experiment}/runs/:\n     ${run(script.command)}\n` +
        `   or, for an agent in another language, the Python script (standard library only):\n     ${run(PYTHON_SCRIPT.command)}`,
    `Look at it: npx labbook ls ${settings.experiment}; npx labbook site build && npx labbook site preview`,
    python
      ? `Replace the agent in ${script.path} and the examples in data.jsonl with yours (an agent instrumented with OpenTelemetry records with no code change: see docs/otlp.md in Labbook's repository).`
      : `Replace the agent in ${script.path} (or ${PYTHON_SCRIPT.file}) and the examples in data.jsonl with yours; delete the script you do not use.`,
    ...(toIgnore.length > 0
      ? [`Add ${toIgnore.join(' and ')} to your .gitignore, so that git add leaves ${toIgnore.length === 1 ? 'it' : 'them'} out.`]
      : []),
    `Commit and push: the evaluate workflow records each push and pull request on the ${settings.dataBranch} branch. ` +
      `For the site, set Settings → Pages → Source to "GitHub Actions"; for deploy, create the environments it names. ` +
      `To control your supply chain, pin ${settings.actionRepo}/action@${settings.actionRef} to its full commit sha.`,
  ];
  return steps.map((step, i) => `  ${i + 1}. ${step}`);
}
