/**
 * Part of `npm run gen:schema`: src/scenario/fieldDocs.ts, every scenario field's TSDoc (on one line)
 * by its `--set` path, read from the Scenario interface with the TypeScript compiler, so `vhost-sim init`
 * can comment the file it writes without the compiler at run time. test/scenario/fieldDocs.test.ts fails
 * when it is stale.
 */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));

/** A TSDoc text on one line; past 160 characters, its first sentence (a full stop before a capital). */
export const summary = (doc: string) => {
  const one = doc.replace(/\s+/g, ' ').trim();
  if (one.length <= 160) return one;
  const m = one.match(/^(.{40,}?\.)\s+[A-Z(`]/);
  return m ? m[1] : one;
};

/** Path -> the summary of its TSDoc, for every field of Scenario at every depth. */
export function fieldDocs(): Record<string, string> {
  const file = `${root}src/model/scenario.ts`;
  const program = ts.createProgram([file], { strict: true, allowImportingTsExtensions: true, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file) as ts.SourceFile;
  const decl = source.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'Scenario',
  ) as ts.InterfaceDeclaration;
  const out: Record<string, string> = {};
  /**
   * A field declared on the line right after a documented one, with no comment of its own, shares its
   * doc: `/** RR: request and response payloads. *\/ requestBytes; responseBytes;`.
   */
  const groupDoc = (prop: ts.Symbol): string => {
    const decl = prop.declarations?.[0];
    const parent = decl?.parent;
    if (decl === undefined || parent === undefined || !('members' in parent)) return '';
    const members = (parent as ts.InterfaceDeclaration).members;
    const sf = decl.getSourceFile();
    const line = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line;
    for (let i = members.indexOf(decl as ts.TypeElement); i > 0; i--) {
      const [prev, cur] = [members[i - 1], members[i]];
      if (line(prev.getEnd()) !== line(cur.getStart(sf)) - 1) return '';
      const sym =
        (prev as ts.PropertySignature).name &&
        checker.getSymbolAtLocation((prev as ts.PropertySignature).name);
      const doc = sym ? ts.displayPartsToString(sym.getDocumentationComment(checker)) : '';
      if (doc !== '') return doc;
    }
    return '';
  };
  const walk = (type: ts.Type, prefix: string, depth: number) => {
    for (const prop of checker.getPropertiesOfType(type)) {
      const path = prefix === '' ? prop.name : `${prefix}.${prop.name}`;
      const doc = ts.displayPartsToString(prop.getDocumentationComment(checker)) || groupDoc(prop);
      if (doc.trim() !== '') out[path] = summary(doc);
      const t = checker.getNonNullableType(checker.getTypeOfSymbol(prop));
      const object =
        t.flags & ts.TypeFlags.Object && !checker.isArrayType(t) && checker.getPropertiesOfType(t).length > 0;
      if (object && depth < 6) walk(t, path, depth + 1);
    }
  };
  walk(checker.getTypeAtLocation(decl.name), '', 0);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The text of src/scenario/fieldDocs.ts. */
export function fieldDocsText(): string {
  const body = Object.entries(fieldDocs())
    .map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`)
    .join('\n');
  return `/**
 * Every scenario field's TSDoc (on one line) by \`--set\` path, for the comments \`vhost-sim init\`
 * writes. Generated from src/model/scenario.ts and src/model/profile.ts by \`npm run gen:schema\`; do not edit.
 */
export const fieldDocs: Readonly<Record<string, string>> = {
${body}
};
`;
}
