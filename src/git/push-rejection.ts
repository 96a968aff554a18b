/**
 * Why git refused a push, in one line. `git push --porcelain` gives the verdict per ref on
 * stdout (`!\t<src>:<dst>\t[rejected] (fetch first)`), the remote's own words on stderr as
 * `remote:` lines, and then the generic "error: failed to push some refs to …", which says
 * nothing: the first line of stderr is the wrong one to quote.
 */
export function pushRejectionReason(stdout: string, stderr: string): string {
  const verdicts = stdout
    .split('\n')
    .filter((line) => line.startsWith('!'))
    .map((line) => line.split('\t').slice(2).join(' ').trim())
    .filter(Boolean);
  const remote = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^remote:\s*\S/.test(line) && !/^remote:\s*(Resolving|Counting|Compressing|Total|Enumerating|Writing)\b/.test(line))
    .map((line) => line.replace(/^remote:\s*/, ''));
  const own = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^(fatal|error):/.test(line) && !/failed to push some refs/.test(line));
  const parts = [...new Set([...verdicts, ...remote.slice(0, 2), ...own.slice(0, 1)])];
  if (parts.length > 0) return parts.join('; ');
  return (
    stderr
      .split('\n')
      .find((line) => line.trim() !== '' && !line.startsWith('To '))
      ?.trim() ?? stderr.trim()
  );
}
