/**
 * An author as a file-name fragment: `Zoë O'Brien` → `zoe-o-brien`. Accents are dropped,
 * anything else outside [a-z0-9] becomes one dash; never empty. No Node imports (the site uses it).
 */
export function authorSlug(author: string, maxLength = 40): string {
  const slug = author
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, maxLength)
    .replace(/^-+|-+$/g, '');
  return slug || 'annotator';
}

/**
 * A fresh file name for one proposed annotation, `<author>-<yyyymmdd>-<hhmmss>-<4 random>.yaml`
 * (UTC). One entry per file keeps each pull request to a new file, so two experts proposing at
 * once never touch the same file; the random part separates two proposals in the same second.
 */
export function newAnnotationFileName(author: string, now: Date, random: () => number = secureRandom): string {
  const iso = now.toISOString(); // 2026-01-31T12:34:56.789Z
  const stamp = `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
  let suffix = '';
  for (let i = 0; i < 4; i++) suffix += ALPHABET[Math.floor(random() * ALPHABET.length) % ALPHABET.length];
  return `${authorSlug(author)}-${stamp}-${suffix}.yaml`;
}

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789'; // no look-alikes (0/o, 1/l)

function secureRandom(): number {
  const buffer = new Uint32Array(1);
  globalThis.crypto.getRandomValues(buffer);
  return buffer[0]! / 2 ** 32;
}
