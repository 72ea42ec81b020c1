/** A band of ± `rel` around `center`. */
export const within = (center: number, rel: number): [number, number] => [
  center * (1 - rel),
  center * (1 + rel),
];
export const fmt = (x: number | null, digits = 2) => (x === null ? 'n/a' : x.toFixed(digits));
