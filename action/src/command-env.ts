/**
 * What the runner gives a JavaScript action but not a `run:` step: the action's inputs
 * (INPUT_*, the token among them), the runtime token for caches and artifacts, and the OIDC
 * request token. A user's command (the evaluation, the deploy command) needs none of them, and
 * a token it never sees cannot leak.
 */
const ACTION_ONLY = /^(INPUT_|ACTIONS_RUNTIME_TOKEN$|ACTIONS_ID_TOKEN_REQUEST_)/;

/** The action's environment without what only the action may see. */
export function commandEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !ACTION_ONLY.test(name)));
}
