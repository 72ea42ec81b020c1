/**
 * Closed forms of elementary queueing theory, the by-definition references for the zero-overhead
 * validation rows (Kleinrock, "Queueing Systems, Vol. 1", 1975: M/M/1 §3.2, M/G/1 mean value
 * (Pollaczek–Khinchine) §5.6, M/M/c and the Erlang C formula §3.5). Rates are per second, times in ns;
 * `serviceNs` is the mean service time. Each throws on an unstable system (utilization >= 1).
 */

function utilization(ratePerSec: number, serviceNs: number, servers = 1): number {
  const rho = (ratePerSec * serviceNs) / 1e9 / servers;
  if (!(rho >= 0 && rho < 1)) throw new RangeError(`unstable queue: utilization ${rho} (needs 0 <= rho < 1)`);
  return rho;
}

/** M/M/1: mean sojourn (wait + service) W = S / (1 - rho). */
export function mm1SojournNs(ratePerSec: number, serviceNs: number): number {
  return serviceNs / (1 - utilization(ratePerSec, serviceNs));
}

/** M/D/1 (Pollaczek–Khinchine with a constant service): W = S + rho S / (2 (1 - rho)). */
export function md1SojournNs(ratePerSec: number, serviceNs: number): number {
  const rho = utilization(ratePerSec, serviceNs);
  return serviceNs + (rho * serviceNs) / (2 * (1 - rho));
}

/**
 * Erlang C: the probability that an arrival waits in an M/M/c queue offered `a = λS` erlangs,
 * computed with the Erlang B recursion B(k) = a B(k-1) / (k + a B(k-1)) (no factorials), then
 * C = c B / (c - a (1 - B)).
 */
export function erlangC(servers: number, offeredErlangs: number): number {
  if (!Number.isInteger(servers) || servers < 1) throw new RangeError(`servers must be a positive integer`);
  if (!(offeredErlangs >= 0 && offeredErlangs < servers)) {
    throw new RangeError(`unstable queue: ${offeredErlangs} erlangs on ${servers} servers`);
  }
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (offeredErlangs * b) / (k + offeredErlangs * b);
  return (servers * b) / (servers - offeredErlangs * (1 - b));
}

/** M/M/c with one FIFO queue in front of c servers: W = S + C(c, a) S / (c - a). */
export function mmcSojournNs(servers: number, ratePerSec: number, serviceNs: number): number {
  const a = (ratePerSec * serviceNs) / 1e9;
  return serviceNs + (erlangC(servers, a) * serviceNs) / (servers - a);
}
