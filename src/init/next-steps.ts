import { evaluationScript, type InitSettings } from './init-files.ts';

/** What to do after `labbook init`, as the lines it prints. */
export function nextSteps(settings: InitSettings, hasPackageJson: boolean): string[] {
  const script = evaluationScript(settings);
  const run = `run --experiment ${settings.experiment} --config ${settings.evalDir}/configs/agent.yaml --dataset ${settings.evalDir}/data.jsonl -- ${script.command}`;
  const steps: string[] = [];
  if (settings.lang === 'py') {
    steps.push(`Run the evaluation (it writes a run under ${settings.dataPath}/${settings.experiment}/runs/):\n     npx --yes labbook@${settings.version} ${run}`);
  } else {
    const install = `npm install --save-dev labbook@${settings.version}${settings.lang === 'ts' ? ' tsx' : ''}`;
    steps.push(`Install labbook (your script imports labbook/sdk; the evaluate workflow runs npm ci):\n     ${hasPackageJson ? '' : 'npm init -y && '}${install}`);
    steps.push(`Run the evaluation (it writes a run under ${settings.dataPath}/${settings.experiment}/runs/):\n     npx labbook ${run}`);
  }
  const npx = settings.lang === 'py' ? `npx --yes labbook@${settings.version}` : 'npx labbook';
  steps.push(`Look at it: ${npx} ls ${settings.experiment}, then ${npx} site build && ${npx} site preview`);
  steps.push(`Replace the agent in ${script.path} and the examples in ${settings.evalDir}/data.jsonl with yours.`);
  steps.push(
    `Commit and push: the evaluate workflow records each push and pull request on the ${settings.dataBranch} branch. ` +
      `For the site, set Settings → Pages → Source to "GitHub Actions"; for deploy, create the environments it names. ` +
      `To control your supply chain, pin ${settings.actionRepo}/action@${settings.actionRef} to its full commit sha.`,
  );
  return steps.map((step, i) => `  ${i + 1}. ${step}`);
}
