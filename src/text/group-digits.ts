/**
 * An integer with its thousands grouped, as `toLocaleString('en-US')` writes it (`12,345`),
 * without that call's first-use cost: loading ICU's locale data took 50 ms, paid at the end of
 * a command that prints one count. Other numbers go to `toLocaleString`.
 */
export function groupDigits(value: number): string {
  if (!Number.isSafeInteger(value)) return value.toLocaleString('en-US');
  const digits = String(Math.abs(value));
  const grouped = digits.length > 3 ? digits.replace(/\B(?=(\d{3})+$)/g, ',') : digits;
  return value < 0 || Object.is(value, -0) ? `-${grouped}` : grouped;
}
