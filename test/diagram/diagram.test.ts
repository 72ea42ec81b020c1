import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { machines } from '../../machines/index.ts';
import { allGraphs } from '../../src/cli/diagram.ts';
import { diagramFiles, toMermaid, toSvg, wrap } from '../../src/inspector/diagram.ts';
import { machineGraph, transitionLabel } from '../../src/inspector/machineGraph.ts';

const DOCS = fileURLToPath(new URL('../../docs/machines/', import.meta.url));

describe('docs/machines', () => {
  it('is up to date with the machine definitions (regenerate: npx vhost-sim diagram --out docs/machines)', () => {
    const expected = diagramFiles(allGraphs());
    const present = readdirSync(DOCS).filter((f) => f.endsWith('.mmd') || f.endsWith('.svg'));
    expect(present.sort()).toEqual([...expected.keys()].sort());
    for (const [file, text] of expected) {
      expect(readFileSync(`${DOCS}${file}`, 'utf8'), `docs/machines/${file} is out of date`).toBe(text);
    }
  });
});

describe('machineGraph', () => {
  it('reads every state, description, tag and transition from machine.config', () => {
    for (const [id, m] of Object.entries(machines)) {
      const g = machineGraph(m.machine);
      expect(g.id).toBe(id);
      const config = m.machine.config as { initial: string; states: Record<string, { description: string }> };
      expect(g.initial).toBe(config.initial);
      expect(g.states.map((s) => s.name)).toEqual(Object.keys(config.states));
      for (const s of g.states) {
        expect(s.description).toBe(config.states[s.name].description);
        expect(s.description.length).toBeGreaterThan(0);
        for (const t of s.transitions)
          if (t.target !== null) expect(Object.keys(config.states)).toContain(t.target);
      }
    }
  });
});

describe('toMermaid', () => {
  it('labels every state-changing transition by event and guard, and notes internal ones', () => {
    for (const g of allGraphs()) {
      const text = toMermaid(g);
      expect(text).toContain('stateDiagram-v2');
      expect(text).toContain(`[*] --> ${g.initial}`);
      for (const s of g.states) {
        expect(text).toMatch(new RegExp(`^  ${s.name} : `, 'm'));
        for (const t of s.transitions) {
          if (t.target !== null)
            expect(text).toContain(`  ${s.name} --> ${t.target} : ${transitionLabel(t)}`);
          else expect(text).toContain(`    ${transitionLabel(t)}`);
        }
      }
      // Mermaid ends a label at ':' or ';': none may appear after the label separator.
      for (const line of text.split('\n').filter((l) => l.includes(' : '))) {
        expect(line.slice(line.indexOf(' : ') + 3)).not.toMatch(/[:;]/);
      }
    }
  });
});

describe('toSvg', () => {
  it('draws one group per state, an arrow per state pair, and is well-formed', () => {
    for (const g of allGraphs()) {
      const svg = toSvg(g);
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
      for (const s of g.states) expect(svg).toContain(`data-state="${s.name}"`);
      const pairs = new Set(
        g.states.flatMap((s) =>
          s.transitions
            .filter((t) => t.target !== null && t.target !== s.name)
            .map((t) => `${s.name}>${t.target}`),
        ),
      );
      expect(svg.match(/<path class="arc" d="M[^"]*L[^"]*L[^"]*L/g)?.length ?? 0).toBe(pairs.size);
      expect(svg).not.toMatch(/<!--[\s\S]*--[\s\S]*-->/); // '--' inside a comment breaks XML
      expect(svg).not.toContain('NaN');
    }
  });
  it('wraps text to a width', () => {
    expect(wrap('a bb ccc dddd', 6)).toEqual(['a bb', 'ccc', 'dddd']);
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });
});
