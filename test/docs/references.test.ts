import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The docs stand on their own and match the code: every repository path they name in backticks exists,
 * every identifier of ours they name (camelCase or PascalCase, optionally `Type.member` or `fn()`) occurs
 * in the sources, and no page points at material outside the repository. Kernel symbols (snake_case)
 * are the kernel's, cited with their source, and not checked here.
 */
const root = resolve(import.meta.dirname, '../..');
const git = (args: string) => execSync(`git ${args}`, { cwd: root, encoding: 'utf8' }).trim().split('\n');

const docs = git('ls-files README.md CHANGELOG.md "docs/*.md"').filter(
  (f) => f && !f.startsWith('docs/api/'),
);
const words = new Set(
  git('ls-files src machines bench scripts test bin package.json')
    .filter((f) => f && f !== 'test/docs/references.test.ts' && existsSync(resolve(root, f)))
    .flatMap((f) => readFileSync(resolve(root, f), 'utf8').match(/[A-Za-z_$][\w$]*/g) ?? []),
);

/** Backticked spans outside fenced code blocks. */
function spans(doc: string): string[] {
  const text = readFileSync(resolve(root, doc), 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/`([^`\n]+)`/g)].map((m) => (m[1] as string).trim());
}

function brokenReferences(doc: string, tokens: string[]): string[] {
  const bad: string[] = [];
  for (const tok of tokens) {
    if (tok.startsWith('docs/api/') || tok.startsWith('dist/')) continue; // built by a script, git-ignored
    if (/^(src|machines|test|bench|scripts|docs|bin|\.ci)\/[\w./-]*$/.test(tok)) {
      if (!existsSync(resolve(root, tok.replace(/\/$/, '')))) bad.push(`${doc}: no file ${tok}`);
    } else if (/^[A-Za-z]\w*(\.[A-Za-z]\w*)*(\(\))?$/.test(tok) && /[a-z][A-Z]|^[A-Z][a-z]/.test(tok)) {
      const missing = tok
        .replace('()', '')
        .split('.')
        .find((part) => !words.has(part));
      if (missing !== undefined) bad.push(`${doc}: no symbol ${missing} (in \`${tok}\`)`);
    }
  }
  return bad;
}

describe('docs name only what exists', () => {
  it('finds the docs', () => {
    expect(docs).toContain('README.md');
    expect(docs.length).toBeGreaterThan(8);
  });

  it('every path and symbol they name exists', () => {
    expect(docs.flatMap((d) => brokenReferences(d, spans(d)))).toEqual([]);
  });

  it('the check catches a missing path and a missing symbol', () => {
    expect(
      brokenReferences('x.md', [
        'src/host/host.ts',
        'src/nowhere.ts',
        'Host.queueWork',
        ['Host.', 'nope', 'Symbol'].join(''),
      ]),
    ).toEqual(['x.md: no file src/nowhere.ts', 'x.md: no symbol nopeSymbol (in `Host.nopeSymbol`)']);
  });

  it('no page points outside the repository', () => {
    const outside = docs.filter((d) =>
      /\.\.\/shared|shared\/(reference|seed)|domain\.md/.test(readFileSync(resolve(root, d), 'utf8')),
    );
    expect(outside).toEqual([]);
  });
});
