/**
 * `npx tsx bench/heapDiff.ts [model] [small] [large]`: what a VM adds to the heap, by kind of object. Builds
 * and runs the scale-study scenario (`2x64`, 0.02 s) at two VM counts (default per-device, 64 and 1,024),
 * takes a V8 heap snapshot of each while the system is alive, and prints the bytes per added VM of each
 * kind: a plain object by its pointer-valued property names (numbers held as small integers are not
 * edges, so `{ev}` is a delivery `{to, ev, delayNs}`), an array's or number's storage by what holds it.
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import type { ModelName } from '../src/model/scenario.ts';
import { SimSystem } from '../src/runtime/system.ts';
import { scaleScenario } from './scaling.ts';

interface Snapshot {
  snapshot: {
    meta: { node_fields: string[]; edge_fields: string[]; node_types: [string[]]; edge_types: [string[]] };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** Run the scenario at `vms` VMs and write a heap snapshot while the system is alive; its file. */
function snapshotOf(model: ModelName, vms: number): string {
  const s = scaleScenario(vms, model, 0.02);
  const sys = new SimSystem(s);
  sys.start();
  sys.kernel.run({ untilNs: Math.round((s.warmupS + s.durationS) * 1e9) });
  sys.flushAccounting();
  const file = writeHeapSnapshot(join(tmpdir(), `vhost-sim-heap-${process.pid}-${vms}.heapsnapshot`));
  // Read after the snapshot, so the system is still reachable when it is taken.
  if (sys.kernel.eventsFired === 0) throw new Error('no events');
  return file;
}

/** Bytes and count of each kind of object in a snapshot file (deleted once read). */
function kinds(file: string): Map<string, { count: number; bytes: number }> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  rmSync(file);
  const { meta } = snap.snapshot;
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  const [TYPE, NAME, SIZE, EDGES] = ['type', 'name', 'self_size', 'edge_count'].map((f) =>
    meta.node_fields.indexOf(f),
  );
  const nodeType = meta.node_types[0];
  const edgeType = meta.edge_types[0];
  const count = snap.nodes.length / nf;
  const props: string[][] = [];
  const parent = new Int32Array(count).fill(-1);
  const via: string[] = [];
  const type = (i: number) => nodeType[snap.nodes[i * nf + TYPE]];
  const name = (i: number) => snap.strings[snap.nodes[i * nf + NAME]];
  for (let i = 0, e = 0; i < count; i++) {
    const names: string[] = [];
    for (let k = 0; k < snap.nodes[i * nf + EDGES]; k++, e += ef) {
      const t = edgeType[snap.edges[e]];
      const to = snap.edges[e + 2] / nf;
      const label = t === 'element' ? '[i]' : t === 'hidden' ? '[h]' : snap.strings[snap.edges[e + 1]];
      if (t === 'property' && names.length < 6) names.push(label);
      // The first strong retainer names what holds a node.
      if (t !== 'weak' && t !== 'shortcut' && parent[to] < 0 && type(i) !== 'synthetic') {
        parent[to] = i;
        via[to] = label;
      }
    }
    props.push(names);
  }
  const label = (i: number) =>
    type(i) === 'object'
      ? name(i) === 'Object'
        ? `{${props[i].join(',')}}`
        : name(i)
      : `${type(i)}:${name(i).slice(0, 30)}`;
  const out = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < count; i++) {
    let key = label(i);
    if (['array', 'number', 'native'].includes(type(i)) || (type(i) === 'object' && name(i) === 'Array')) {
      // Storage: say whose, two levels up when the holder is an array itself.
      const p = parent[i];
      let holder = p >= 0 ? label(p) : '?';
      if (p >= 0 && (name(p) === 'Array' || type(p) === 'array'))
        holder = `${parent[p] >= 0 ? `${label(parent[p])}.${via[p]}` : '?'}>${holder}`;
      key = `${key} <- ${holder}.${via[i]}`;
    }
    const v = out.get(key) ?? { count: 0, bytes: 0 };
    v.count++;
    v.bytes += snap.nodes[i * nf + SIZE];
    out.set(key, v);
  }
  return out;
}

const [model = 'per-device', small = '64', large = '1024'] = process.argv.slice(2);
const [a, b] = [Number(small), Number(large)];
// Both snapshots before either is read: the analysis's own objects must not be in the second one.
const files = [a, b].map((vms) => snapshotOf(model as ModelName, vms));
const [before, after] = files.map(kinds);
const rows = [...after].map(([key, v]) => {
  const u = before.get(key) ?? { count: 0, bytes: 0 };
  return { key, count: (v.count - u.count) / (b - a), bytes: (v.bytes - u.bytes) / (b - a) };
});
rows.sort((x, y) => y.bytes - x.bytes);
const total = rows.reduce((t, r) => t + r.bytes, 0);
console.log(`${model}, ${a} → ${b} VMs: ${Math.round(total)} bytes per added VM in the snapshot`);
console.log('bytes/VM  objects/VM  kind');
for (const r of rows.slice(0, 30)) {
  console.log(
    `${r.bytes.toFixed(0).padStart(8)}  ${r.count.toFixed(2).padStart(10)}  ${r.key.slice(0, 120)}`,
  );
}
