/**
 * `vhost-sim diagram [machine] --format mermaid|svg [--out dir]`: state diagrams generated from the machine
 * definitions (machines/index.ts). Registered on the program by `addDiagramCommand`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { machines } from '../../machines/index.ts';
import { type DiagramFormat, diagramFiles, toMermaid, toSvg } from '../inspector/diagram.ts';
import { type MachineGraph, machineGraph } from '../inspector/machineGraph.ts';
import { canonicalName } from '../scenario/names.ts';

/** Every machine's graph, in machines/index.ts order. */
export function allGraphs(): MachineGraph[] {
  return Object.values(machines).map((m) => machineGraph(m.machine));
}

interface DiagramOpts {
  format: DiagramFormat;
  out?: string;
}

function diagramCommand(name: string | undefined, o: DiagramOpts): void {
  let graphs = allGraphs();
  if (name !== undefined) {
    const id = canonicalName(
      name,
      graphs.map((x) => x.id),
    );
    const g = graphs.find((x) => x.id === id);
    if (g === undefined) {
      throw new InvalidArgumentError(
        `unknown machine '${name}' (machines: ${graphs.map((x) => x.id).join(', ')})`,
      );
    }
    graphs = [g];
  }
  if (o.out !== undefined) {
    mkdirSync(o.out, { recursive: true });
    const written: string[] = [];
    for (const [file, text] of diagramFiles(graphs)) {
      writeFileSync(join(o.out, file), text);
      written.push(join(o.out, file));
    }
    process.stderr.write(`wrote ${written.join(', ')}\n`);
    return;
  }
  if (o.format === 'svg' && graphs.length !== 1) {
    throw new InvalidArgumentError('--format svg prints one machine: name it, or use --out <dir> for all');
  }
  process.stdout.write(graphs.map((g) => (o.format === 'svg' ? toSvg(g) : toMermaid(g))).join('\n'));
}

/** Add `diagram` to the program. */
export function addDiagramCommand(program: Command): Command {
  return program
    .command('diagram')
    .description('state diagrams generated from the machine definitions (Mermaid or SVG)')
    .argument('[machine]', `machine id (${Object.keys(machines).join(', ')}; any case); all when omitted`)
    .addOption(
      new Option('--format <format>', 'output format').choices(['mermaid', 'svg']).default('mermaid'),
    )
    .option('--out <dir>', 'write <id>.mmd and <id>.svg for each machine into this directory')
    .action((name: string | undefined, o: DiagramOpts) => diagramCommand(name, o));
}
