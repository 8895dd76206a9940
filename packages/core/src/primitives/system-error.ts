/** Whether `error` is a Node system error with one of `codes` (`ENOENT`, `EEXIST`, …). */
export function isErrorCode(error: unknown, ...codes: string[]): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    codes.includes(error.code)
  );
}
