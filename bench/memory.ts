/**
 * `npx tsx bench/memory.ts [vms...]`: the marginal heap per VM of each model on the 2 x 64-core profile
 * (`scalePoint` of bench/scaling.ts, 0.02 s of virtual time), from the smallest to the largest VM count
 * (default 8 → 1,024), the same figure as `npm run bench`'s scaling table without its timing runs.
 */
import { gcAvailable, scalePoint, scaleScenario } from './scaling.ts';

const counts = process.argv.slice(2).map(Number);
const vms = counts.length >= 2 ? counts : [8, 1024];
if (!gcAvailable) throw new Error('no gc: run with node --expose-gc');
scalePoint(scaleScenario(8, 'per-cpu', 0.01)); // warm-up
for (const model of ['per-cpu', 'per-device'] as const) {
  const pts = vms.map((n) => scalePoint(scaleScenario(n, model, 0.02)));
  const first = pts[0];
  const last = pts[pts.length - 1];
  const marginal =
    ((last.heapBytesPerVm ?? 0) * last.vms - (first.heapBytesPerVm ?? 0) * first.vms) /
    (last.vms - first.vms);
  const each = pts.map((p) => `${p.vms}: ${((p.heapBytesPerVm ?? 0) / 1024).toFixed(2)}`).join(', ');
  console.log(
    `${model}: marginal heap ${(marginal / 1024).toFixed(2)} KiB/VM (${each} KiB/VM; ${last.events} events at ${last.vms})`,
  );
}
