/** Bad command-line input that is not about the scenario itself (exit status 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}
