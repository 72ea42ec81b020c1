/**
 * Optional packages: the Redis queue (bullmq), the charts (vega, vega-lite, @resvg/resvg-js) and Stately
 * Inspect (@statelyai/inspect) are optional peer dependencies of the published package, loaded only by
 * the feature that needs them. A missing one is reported in one line that names the package to install.
 */

/** A feature was asked for whose optional package is not installed. */
export class MissingPackageError extends Error {
  override name = 'MissingPackageError';
  constructor(
    readonly feature: string,
    readonly packages: readonly string[],
    /** What else the user can do, e.g. 'pass --no-charts'. */
    alternative?: string,
  ) {
    const s = packages.length > 1 ? 's' : '';
    super(
      `${feature}: needs the optional package${s} ${packages.join(', ')} (npm i ${packages.join(' ')})${alternative ? `; or ${alternative}` : ''}`,
    );
  }
}

const notFound = (err: unknown) => {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
};

/**
 * Import an optional package (`load` is `() => import('name')`, so the types follow the package); if it is
 * not installed, throw a MissingPackageError for `feature`. Other load errors pass through.
 */
export async function importOptional<T>(
  load: () => Promise<T>,
  feature: string,
  packages: readonly string[],
): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if (notFound(err) && packages.some((p) => String((err as Error).message).includes(`'${p}`)))
      throw new MissingPackageError(feature, packages);
    throw err;
  }
}

/** The first of `packages` that does not resolve from here, or undefined when all do. */
export function firstMissing(packages: readonly string[]): string | undefined {
  for (const p of packages) {
    try {
      import.meta.resolve(p);
    } catch (err) {
      if (notFound(err)) return p;
    }
  }
  return undefined;
}
