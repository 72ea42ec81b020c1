/**
 * Test functions with known variance-based indices, on inputs u in [0, 1)^k.
 * Ishigami and Homma (1990); Sobol's g-function (Saltelli and Sobol' 1995). Indices from their
 * closed-form partial variances.
 */

/** Ishigami: sin x1 + a sin² x2 + b x3⁴ sin x1 with x_i uniform on [−π, π]. */
export function ishigami(u: readonly number[], a = 7, b = 0.1): number {
  const [x1, x2, x3] = u.map((v) => Math.PI * (2 * v - 1));
  return Math.sin(x1) + a * Math.sin(x2) ** 2 + b * x3 ** 4 * Math.sin(x1);
}

export function ishigamiIndices(a = 7, b = 0.1): { first: number[]; total: number[] } {
  const pi4 = Math.PI ** 4;
  const v1 = 0.5 * (1 + (b * pi4) / 5) ** 2;
  const v2 = a ** 2 / 8;
  const v13 = ((b ** 2 * pi4 ** 2) / 18 - (b ** 2 * pi4 ** 2) / 50) / 1;
  const v = v1 + v2 + v13;
  return { first: [v1 / v, v2 / v, 0], total: [(v1 + v13) / v, v2 / v, v13 / v] };
}

/** Sobol's g-function: Π (|4u_i − 2| + a_i) / (1 + a_i); small a_i means an important input. */
export function gFunction(u: readonly number[], a: readonly number[]): number {
  let g = 1;
  for (let i = 0; i < a.length; i++) g *= (Math.abs(4 * u[i] - 2) + a[i]) / (1 + a[i]);
  return g;
}

export function gIndices(a: readonly number[]): { first: number[]; total: number[] } {
  const vi = a.map((ai) => 1 / (3 * (1 + ai) ** 2));
  const v = vi.reduce((p, x) => p * (1 + x), 1) - 1;
  return {
    first: vi.map((x) => x / v),
    total: vi.map((x, i) => (x * vi.reduce((p, y, j) => (j === i ? p : p * (1 + y)), 1)) / v),
  };
}
