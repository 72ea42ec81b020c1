/**
 * docs/calibration.md, rendered from the calibration table (src/model/calibration.ts) and the default
 * scenario's values. The prose around the tables lives here; `npm run gen:calibration` writes the file
 * and test/model/calibration.test.ts fails when the committed file differs.
 */

import { type CalibrationKind, type CalibrationRow, calibration } from '../model/calibration.ts';
import { defaultScenario } from './defaults.ts';

const INTRO = `# Calibration of the default profile \`x3650-m2\`

<!-- Generated from src/model/calibration.ts by \`npm run gen:calibration\`: edit the table there. -->

Every cost the simulation charges is a field of a profile (\`src/scenario/profiles.ts\`) or of the
scenario; this page gives each value, the kind of evidence behind it, a plausible range, and its source or
the assumption behind it. Any value can be changed with \`--set PATH=VALUE\` (the _Field_ column is the
path).

Kinds:

- **measured**: a published measurement on comparable hardware; the source says what was measured.
- **sourced**: a documented fact — a kernel default, a datasheet figure, or arithmetic on one.
- **assumed**: a figure we chose, a plausible value for the hardware and kernel of 2012, stated so it can
  be challenged.
- **fitted**: chosen so that a published result is reproduced (one value).

The _plausible range_ is where a real host of this kind could lie, given what the source does and does
not pin down. \`vhost-sim sensitivity\` and \`reproduce --uncertainty\` sample these ranges (uniformly);
a value without a range (a fact of the machine or a documented default) is held fixed.

No value differs between the threading models. The per-device and per-CPU runs use the same profile; what
differs is which threads exist, where works are dispatched, and therefore which of these costs are paid
how often.
`;

const FITTING = `## How the profile was fitted

1. Every value above except \`profile.nic.peerTurnaroundNs\` was set from the cited figure or the stated
   assumption, before looking at any result.
2. \`peerTurnaroundNs\` was then chosen so that the default scenario gives ~13.5k transactions/s
   (74 µs per transaction), the middle of the published range:

   \`\`\`sh
   npx tsx src/cli/main.ts run --format json | jq .metrics.throughput
   \`\`\`

   With 24 µs the model gave 15.2k (the receive interrupt fires at once: ixgbe's ITR is a rate limit,
   and one frame per 66 µs is far below it); each µs of peer turnaround adds one µs to the transaction,
   so 32 µs gives 13.5k (seeds 1–3: 13,517 / 13,527 / 13,523).
3. Nothing was tuned to make either threading model win. Which model wins at which VM count, the
   crossover, the context-switch counts and the remote-node share are outputs: \`docs/reproduction.md\`
   shows how they move when one cost at a time changes, and \`docs/sensitivity.md\` how they move when all
   the ranged costs move together.

### Critical path of one default transaction (~74 µs)

guest send 4 + kick exit 2 + vhost wake on an idle core (3 exit + 1.5 switch) + \`handle_tx\` 4 + NIC 1 +
wire 1.5 + peer 32 + wire 1.5 + NIC interrupt 1 + softirq 3 (on the core that sent, by ATR) +
vhost switch 1.5 + \`handle_rx\` + signal 3.3 + vCPU wake (3 exit + 1.5 switch) + interrupt entry 2 +
guest receive 5 ≈ 73 µs, plus serialization.
`;

/** 1234567 -> '1,234,567'; 0.1 -> '0.1' (locale-independent, so the doc is the same everywhere). */
export function formatNumber(n: number): string {
  const [int, frac] = String(n).split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const digits = int.replace('-', '');
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${frac === undefined ? '' : `.${frac}`}`;
}

/** The value at a dotted scenario path. */
export function valueAtPath(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function shownValue(row: CalibrationRow, scenario: unknown): string {
  if (row.shown !== undefined) return row.shown;
  const v = valueAtPath(scenario, row.path);
  const unit = row.unit === '' ? '' : ` ${row.unit}`;
  if (typeof v === 'number') return `${formatNumber(v)}${unit}`;
  return `\`${JSON.stringify(v).replaceAll('"', '')}\``;
}

const KIND_TEXT: Record<CalibrationKind, string> = {
  measured: 'measured',
  sourced: 'sourced',
  assumed: 'assumed',
  fitted: '**fitted**',
};

const escapeCell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** A markdown table with its columns padded, as a formatter would leave it. */
function table(header: string[], rows: string[][]): string {
  const cells = [header, ...rows].map((r) => r.map(escapeCell));
  const widths = header.map((_, i) => Math.max(3, ...cells.map((r) => [...r[i]].length)));
  const line = (r: string[]) =>
    `| ${r.map((c, i) => c + ' '.repeat(widths[i] - [...c].length)).join(' | ')} |`;
  const rule = `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}

/** The whole of docs/calibration.md. */
export function calibrationMarkdown(): string {
  const scenario = defaultScenario();
  const sections = calibration.map((section) => {
    const rows = section.rows.map((row) => [
      `\`${row.path}\``,
      shownValue(row, scenario),
      KIND_TEXT[row.kind],
      row.range === null ? 'fixed' : `${formatNumber(row.range.lo)}–${formatNumber(row.range.hi)}`,
      row.range === null ? row.source : `${row.source} _Range:_ ${row.range.why}`,
    ]);
    const header = ['Field', 'Value', 'Kind', 'Plausible range', 'Source / assumption'];
    return `## ${section.title}\n\n${table(header, rows)}\n`;
  });
  return [INTRO, ...sections, FITTING].join('\n');
}
