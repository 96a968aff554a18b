import { validateAction, validateWorkflow, type ValidationError } from '@action-validator/core';
import yaml from 'js-yaml';

/**
 * Lints a workflow (or action.yml) with @action-validator/core, the JSON Schema of GitHub's
 * workflow syntax compiled to WebAssembly (runs offline). Its schema predates two settings our
 * workflows rely on, so they are checked here by hand and removed before the schema sees them:
 * `concurrency.queue` (only `max`) and the `attestations` permission (`read`, `write` or `none`);
 * in action.yml, the `node24` runtime is checked as `node20`. Everything else must pass the
 * schema as is. Returns one line per problem.
 */
export function lintWorkflow(text: string, kind: 'workflow' | 'action' = 'workflow'): string[] {
  const problems: string[] = [];
  if (kind === 'action') {
    const action = yaml.load(text) as { runs?: { using?: string } };
    if (action.runs?.using === 'node24') action.runs.using = 'node20';
    return describe(validateAction(yaml.dump(action, { lineWidth: -1 })).errors);
  }
  const doc = yaml.load(text) as Record<string, unknown>;
  const concurrencies = [doc, ...Object.values((doc.jobs ?? {}) as Record<string, Record<string, unknown>>)];
  for (const holder of concurrencies) {
    const concurrency = holder.concurrency as Record<string, unknown> | undefined;
    if (concurrency && typeof concurrency === 'object' && 'queue' in concurrency) {
      if (concurrency.queue !== 'max') problems.push(`concurrency.queue: "${String(concurrency.queue)}" (only "max")`);
      if (concurrency['cancel-in-progress'] === true) problems.push('concurrency.queue cannot go with cancel-in-progress: true');
      delete concurrency.queue;
    }
    const permissions = holder.permissions as Record<string, unknown> | undefined;
    if (permissions && typeof permissions === 'object' && 'attestations' in permissions) {
      if (!['read', 'write', 'none'].includes(String(permissions.attestations)))
        problems.push(`permissions.attestations: "${String(permissions.attestations)}"`);
      delete permissions.attestations;
    }
  }
  return [...problems, ...describe(validateWorkflow(yaml.dump(doc, { lineWidth: -1 })).errors)];
}

/** The innermost errors of the validator's nested one-of states, as `path: title (detail)`. */
function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((error) => {
    const nested = 'states' in error && error.states ? error.states.flatMap((state) => describe(state.errors)) : [];
    if (nested.length > 0) return nested;
    const where = 'path' in error ? error.path : 'location' in error && error.location ? `line ${error.location.line}` : '';
    return [`${where}: ${error.title}${error.detail ? ` (${error.detail})` : ''}`];
  });
}
