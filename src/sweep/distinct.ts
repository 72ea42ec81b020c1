/**
 * The runs of one batch grouped by identical scenario, in first-seen order: key -> input indices. A run is a
 * pure function of its scenario (and the executor, the same for the whole batch), so each group is
 * simulated once and its outcome given to every index in it. A Morris design revisits points of its level
 * grid: the bench's study of 384 runs has 264 distinct ones.
 */
export function distinctRuns<T>(
  items: readonly T[],
  key: (item: T) => string = (item) => JSON.stringify(item),
): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  items.forEach((item, index) => {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [index]);
    else group.push(index);
  });
  return groups;
}
