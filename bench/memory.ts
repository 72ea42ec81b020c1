/**
 * `npx tsx bench/memory.ts [vms...]`: the marginal heap per VM of each model on the 2 x 64-core profile
 * (`scalePoint` of bench/scaling.ts, 0.02 s of virtual time), from the smallest to the largest VM count
 * (default 8 → 1,024), the same figure as `npm run bench`'s scaling table without its timing runs. Each
 * model is warmed up by one run at each size, then measured three times: the median and the range.
 */
import { gcAvailable, scalePoint, scaleScenario } from './scaling.ts';

const counts = process.argv.slice(2).map(Number);
const vms = counts.length >= 2 ? counts : [8, 1024];
const rounds = 3;
if (!gcAvailable) throw new Error('no gc: run with node --expose-gc');
const kib = (bytes: number) => (bytes / 1024).toFixed(2);
for (const model of ['per-cpu', 'per-device'] as const) {
  // What the first runs leave behind (compiled code, lazily grown tables) would land on the first point.
  for (const n of vms) scalePoint(scaleScenario(n, model, 0.02));
  const marginal: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const [first, last] = [vms[0], vms[vms.length - 1]].map((n) => scalePoint(scaleScenario(n, model, 0.02)));
    const held = (p: typeof first) => (p.heapBytesPerVm ?? 0) * p.vms;
    marginal.push((held(last) - held(first)) / (last.vms - first.vms));
  }
  marginal.sort((a, b) => a - b);
  const range = `${kib(marginal[0])}–${kib(marginal[rounds - 1])}`;
  console.log(
    `${model}: marginal heap ${kib(marginal[rounds >> 1])} KiB/VM (${range}), ${vms[0]} → ${vms.at(-1)} VMs`,
  );
}
