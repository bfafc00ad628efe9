/**
 * Time limits in tests only catch hangs. They are generous — ten times or more what the test takes
 * on a quiet 2-core machine — so a busy machine (a browser open, two CPU-bound processes beside the
 * run: `npm run test:busy`) never turns them red. Nothing in a test asserts how long something took:
 * timings live in bench/.
 *
 * TEST_TIME_SCALE multiplies every limit, for a machine much slower than that (default 1).
 */
export const TIME_SCALE = timeScale(process.env.TEST_TIME_SCALE);

export function timeScale(value: string | undefined): number {
  if (value === undefined || value === "") return 1;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`TEST_TIME_SCALE must be a positive number (got '${value}')`);
  return n;
}

/** A hang limit of `ms` milliseconds, scaled by TEST_TIME_SCALE. */
export function hang(ms: number): number {
  return Math.round(ms * TIME_SCALE);
}
