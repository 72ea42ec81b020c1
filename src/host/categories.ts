/**
 * Where a core's time goes. Every nanosecond of every core lands in exactly one: the keys of
 * `metrics.cpuBreakdown` and of each `metrics.perCpu` entry.
 *
 * @example
 * ```ts
 * import { categories, resolveScenario, runScenario } from 'vhost-sim';
 *
 * const { metrics } = runScenario(resolveScenario({ vms: 2, durationS: 0.005, warmupS: 0.002 }));
 * for (const c of categories) console.log(c, metrics.cpuBreakdown[c].toFixed(3));
 * ```
 */
export const categories = ['guest', 'vhost', 'irq', 'switch', 'idle'] as const;
export type Category = (typeof categories)[number];
export const CAT_GUEST = 0;
export const CAT_VHOST = 1;
export const CAT_IRQ = 2;
export const CAT_SWITCH = 3;
export const CAT_IDLE = 4;
