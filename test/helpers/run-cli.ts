import { main } from '../../src/cli/main.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `labbook <argv>` in-process with captured output, as a user would from `cwd`. */
export async function runCli(argv: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    cwd: options.cwd,
    env: options.env ?? { ...process.env, GITHUB_ACTIONS: '' },
    isTTY: false,
    stdout: (text) => (stdout += text.endsWith('\n') ? text : `${text}\n`),
    stdoutRaw: async (text) => {
      stdout += text;
    },
    stderr: (text) => (stderr += text.endsWith('\n') ? text : `${text}\n`),
  });
  return { code, stdout, stderr };
}
