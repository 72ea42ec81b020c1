/**
 * `JSON.stringify(value, null, 2)` as a sequence of pieces, byte for byte the same text, so a document
 * larger than the longest string V8 can hold (about 512 MB: an 80,000-point sweep) is still written.
 * The top `depth` levels are taken apart; each value below is stringified on its own.
 */
export function* jsonChunks(value: unknown, depth = 2, indent = ''): Generator<string> {
  const v = value !== null && typeof value === 'object' && 'toJSON' in value ? undefined : value;
  if (depth > 0 && v !== null && typeof v === 'object') {
    const inner = `${indent}  `;
    const items: [string, unknown][] = Array.isArray(v)
      ? v.map((x) => ['', x === undefined || typeof x === 'function' || typeof x === 'symbol' ? null : x])
      : Object.entries(v)
          .filter(([, x]) => x !== undefined && typeof x !== 'function' && typeof x !== 'symbol')
          .map(([k, x]) => [`${JSON.stringify(k)}: `, x]);
    const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
    if (items.length === 0) {
      yield `${open}${close}`;
      return;
    }
    yield `${open}\n`;
    for (let i = 0; i < items.length; i++) {
      const [head, x] = items[i] as [string, unknown];
      yield `${inner}${head}`;
      yield* jsonChunks(x, depth - 1, inner);
      yield i < items.length - 1 ? ',\n' : '\n';
    }
    yield `${indent}${close}`;
    return;
  }
  const text = JSON.stringify(value, null, 2) ?? 'null';
  yield indent === '' ? text : text.replaceAll('\n', `\n${indent}`);
}

/** Join chunks into pieces of about `size` characters, for fewer writes. */
export function* batched(chunks: Iterable<string>, size = 1 << 16): Generator<string> {
  let buf = '';
  for (const c of chunks) {
    buf += c;
    if (buf.length >= size) {
      yield buf;
      buf = '';
    }
  }
  if (buf !== '') yield buf;
}

/**
 * `jsonChunks({ points, ...rest })` (depth 2) byte for byte, with the points drawn from an iterable one
 * at a time, so a sweep's document is written without its points all in memory.
 */
export function* pointsDocChunks(
  points: Iterable<unknown>,
  rest: Record<string, unknown>,
): Generator<string> {
  yield '{\n  "points": ';
  let n = 0;
  for (const p of points) {
    yield n++ === 0 ? '[\n    ' : ',\n    ';
    yield* jsonChunks(p, 0, '    ');
  }
  yield n === 0 ? '[]' : '\n  ]';
  for (const [k, v] of Object.entries(rest)) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    yield `,\n  ${JSON.stringify(k)}: `;
    yield* jsonChunks(v, 1, '  ');
  }
  yield '\n}';
}
