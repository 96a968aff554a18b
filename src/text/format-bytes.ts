/**
 * A size as people read one, in binary units with one decimal: `512 bytes`, `3.4 KiB`, `3.1 MiB`,
 * `1.2 GiB` (GitHub's limits, which `gc` warns near, are binary: 100 MiB per file).
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
