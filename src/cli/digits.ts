/**
 * A mean with its uncertainty, to the digits the uncertainty allows (issue 20.6): the ± to two
 * significant digits, the mean to the same decimal place, so `212,160 ± 1,840` reads `212,200 ± 1,800`
 * and `9.4132 ± 0.0213` reads `9.413 ± 0.021`. Digits past the ± are noise and would claim a precision
 * the replications do not have.
 */

const SIGNIFICANT = 2;

const format = (x: number, decimals: number) =>
  new Intl.NumberFormat('en-US', {
    minimumFractionDigits: Math.max(0, decimals),
    maximumFractionDigits: Math.max(0, decimals),
  }).format(x);

/** Round `x` to a multiple of 10^`exp` (exact in decimal: no 0.1 + 0.2 artefacts in the digits shown). */
const roundAt = (x: number, exp: number) =>
  exp >= 0 ? Math.round(x / 10 ** exp) * 10 ** exp : Math.round(x * 10 ** -exp) / 10 ** -exp;

/**
 * `mean ± half`, both to the decimal place of the second significant digit of `half` (never finer than
 * `maxDecimals`), with `suffix` after each (`' %'`). A half-width of 0 (every seed alike) or one that is
 * not finite leaves the mean as `plain` formats it.
 */
export function meanPlusMinus(
  mean: number,
  half: number,
  plain: (x: number) => string,
  o: { maxDecimals?: number; suffix?: string } = {},
): string {
  const suffix = o.suffix ?? '';
  const h = Math.abs(half);
  if (!(h > 0) || !Number.isFinite(h)) return `${plain(mean)}${suffix} ± 0${suffix}`;
  let exp = Math.floor(Math.log10(h)) - (SIGNIFICANT - 1);
  // 9.96 to two digits is 10: a third digit appeared, so round one place coarser.
  if (roundAt(h, exp) >= 10 ** (exp + SIGNIFICANT)) exp++;
  exp = Math.max(exp, -(o.maxDecimals ?? 6));
  const decimals = -exp;
  return `${format(roundAt(mean, exp), decimals)}${suffix} ± ${format(roundAt(h, exp), decimals)}${suffix}`;
}
