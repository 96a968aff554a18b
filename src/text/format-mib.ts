/** A size in mebibytes with one decimal, as `gc` and `rm` report what they free: `3.1 MiB`. */
export function formatMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
