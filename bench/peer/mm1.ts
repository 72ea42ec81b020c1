import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { streamFor } from '../../src/kernel/random.ts';
import { SimKernel } from '../../src/kernel/simKernel.ts';

/**
 * The open-loop M/M/1 queue of bench/peer/mm1.py on vhost-sim's event kernel (SimKernel, seeded
 * streams): Poisson arrivals at 0.8 per ms, one FIFO server with exponential service of mean 1 ms
 * (ρ = 0.8, mean sojourn 1 / (μ − λ) = 5 ms). A model event is an arrival or a departure, one kernel
 * event each, counted the same way as on the SimPy side.
 */
export function mm1Kernel(
  customers: number,
  seed = 1,
): { events: number; wallS: number; meanSojourn: number } {
  const kernel = new SimKernel();
  const arrivals = streamFor(seed, 'mm1.arrivals');
  const service = streamFor(seed, 'mm1.service');
  const meanArrivalNs = 1_250_000;
  const meanServiceNs = 1_000_000;
  const queue: number[] = []; // arrival times of the customers waiting, FIFO
  let head = 0;
  let busy = false;
  let arrived = 0;
  let done = 0;
  let sojournNs = 0;
  let inService = 0;
  const depart = (): void => {
    done++;
    sojournNs += kernel.nowNs - inService;
    if (head < queue.length) startService(queue[head++]);
    else busy = false;
  };
  const startService = (arrivedAtNs: number): void => {
    busy = true;
    inService = arrivedAtNs;
    kernel.post(Math.round(service.exponential(meanServiceNs)), depart, undefined);
  };
  const arrive = (): void => {
    arrived++;
    if (busy) queue.push(kernel.nowNs);
    else startService(kernel.nowNs);
    if (arrived < customers) kernel.post(Math.round(arrivals.exponential(meanArrivalNs)), arrive, undefined);
  };
  kernel.post(Math.round(arrivals.exponential(meanArrivalNs)), arrive, undefined);
  const t0 = performance.now();
  kernel.run({ untilNs: Number.MAX_SAFE_INTEGER });
  const wallS = (performance.now() - t0) / 1000;
  return { events: kernel.eventsFired, wallS, meanSojourn: sojournNs / done / meanServiceNs };
}

/** Debian's SimPy 2.3 (`import SimPy.Simulation`), under /usr/bin/python3 or python3 on the PATH. */
export function findSimPy(): string | null {
  for (const py of ['/usr/bin/python3', 'python3']) {
    if (py.startsWith('/') && !existsSync(py)) continue;
    const r = spawnSync(py, ['-c', 'import SimPy.Simulation'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return null;
}

/** The SimPy side in a child process, or null when Python or SimPy is missing. */
export function mm1SimPy(
  python: string,
  customers: number,
): { events: number; wallS: number; meanSojourn: number } | null {
  const script = fileURLToPath(new URL('./mm1.py', import.meta.url));
  const r = spawnSync(python, [script, String(customers)], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  return JSON.parse(r.stdout.trim());
}
