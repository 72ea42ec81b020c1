import { join } from 'node:path';
import ts from 'typescript';
import { ROOT } from '../cliRun.ts';

/** One export of the package's entry point, with the ```ts blocks of its TSDoc `@example` tags. */
export interface PublicExport {
  name: string;
  /** A value (function, class, constant) rather than a type: what needs a runnable example. */
  value: boolean;
  examples: string[];
}

/** The fenced `ts` blocks of an `@example` tag's text. */
const fenced = (text: string) => [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);

/**
 * The exports of `entry` (default: the package's, src/index.ts) as TypeScript sees them — re-exports
 * followed to their declarations — and the examples of the entry's own module comment. Parsing and
 * binding only, no type check.
 */
export function publicApi(entry = join(ROOT, 'src', 'index.ts')): {
  exports: PublicExport[];
  moduleExamples: string[];
} {
  const program = ts.createProgram([entry], {
    allowImportingTsExtensions: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: [],
    noLib: true, // no type check: the default lib's declarations only cost time
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const module = source && checker.getSymbolAtLocation(source);
  if (source === undefined || module === undefined) throw new Error(`${entry}: not a module`);
  const exports = checker.getExportsOfModule(module).map((symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const spec = symbol.declarations?.[0];
    const typeOnly =
      spec !== undefined && ts.isExportSpecifier(spec) && (spec.isTypeOnly || spec.parent.parent.isTypeOnly);
    const examples = target
      .getJsDocTags(checker)
      .filter((t) => t.name === 'example')
      .flatMap((t) => fenced(ts.displayPartsToString(t.text)));
    return { name: symbol.name, value: !typeOnly && (target.flags & ts.SymbolFlags.Value) !== 0, examples };
  });
  // The file's opening comment is attached to its first statement.
  const first = source.statements[0];
  const moduleExamples = (first === undefined ? [] : ts.getJSDocTags(first))
    .filter((t) => t.tagName.text === 'example')
    .flatMap((t) => fenced(ts.getTextOfJSDocComment(t.comment) ?? ''));
  return { exports, moduleExamples };
}
