/** Command-line options that take a name (model, workload, profile): any case in, the canonical name out. */
import { InvalidArgumentError, Option } from 'commander';
import { canonicalName } from '../scenario/names.ts';

/** Parse one name of `names` (any case), or fail naming what it should be. */
export function nameParser<T extends string>(what: string, names: readonly T[]) {
  return (value: string): T => {
    const name = canonicalName(value, names);
    if (name === undefined)
      throw new InvalidArgumentError(`'${value}' is not a ${what} (${names.join(', ')}).`);
    return name;
  };
}

/** Parse a comma-separated list of names (any case); `all` stands for every name. */
export function nameListParser<T extends string>(what: string, names: readonly T[]) {
  const one = nameParser(what, names);
  return (value: string): T[] => {
    if (value.trim().toLowerCase() === 'all') return [...names];
    return value.split(',').map((v) => one(v.trim()));
  };
}

/** `--flag <name>` taking one of `names` in any case; the help lists them as commander's choices would. */
export function nameOption<T extends string>(
  flags: string,
  description: string,
  what: string,
  names: readonly T[],
): Option {
  return new Option(flags, `${description} (choices: ${names.join(', ')}; any case)`).argParser(
    nameParser(what, names),
  );
}
