/**
 * `npm run fuzz [-- --cases N --processes N --seed S --jobs J --timeout MS --dir DIR]`: feed random and
 * mutated scenario files to vhost-sim (see scripts/fuzz-lib.ts), then the fault cases (scripts/fuzz-faults.ts:
 * unbounded work, odd files, locked and full folders, Redis addresses). Prints a summary; exits 1 on any
 * crash, hang or fault case that ends otherwise than it must. The case files stay in DIR (default results/fuzz/) for replay: `vhost-sim run FILE`.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatFaults, runFaultCases } from './fuzz-faults.ts';
import { formatSummary, fuzz, ROOT } from './fuzz-lib.ts';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000' },
    processes: { type: 'string', default: '200' },
    seed: { type: 'string', default: '1' },
    jobs: { type: 'string', default: '2' },
    timeout: { type: 'string', default: '60000' },
    dir: { type: 'string', default: join(ROOT, 'results', 'fuzz') },
  },
});
const t0 = performance.now();
const cases = Number(values.cases);
const summary = await fuzz({
  seed: Number(values.seed),
  cases,
  processes: Number(values.processes),
  jobs: Number(values.jobs),
  timeoutMs: Number(values.timeout),
  dir: values.dir,
  onProgress: (done) => {
    if (done % 1000 === 0) process.stderr.write(`  ${done}/${cases} in-process cases\n`);
  },
});
process.stdout.write(formatSummary(summary));
const faults = await runFaultCases(join(values.dir, 'faults'), Number(values.jobs));
process.stdout.write(formatFaults(faults));
process.stdout.write(`wall time ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
const faultFailures = faults.filter((f) => f.problem !== null).length;
process.exitCode = summary.crashes + summary.hangs + faultFailures > 0 ? 1 : 0;
