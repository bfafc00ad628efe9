/**
 * Random cases (fast-check) in a graded part: the part's seed (./context.ts) draws them, a failure is
 * shrunk to a small case (a few dozen more calls at most) and reported with how to bring it back.
 */
import fc from "fast-check";
import { join, text } from "../i18n";
import { currentPart } from "./context";
import { fail, GradeFailure } from "./feedback";
import { OracleMiss } from "./oracle";

export interface PropertyOptions {
  numRuns?: number;
  seed?: number;
  /** How long the random cases may take (default 20 s); fewer than 10 runs in it fail the part. */
  timeLimitMs?: number;
}

const MAX_SHRINK_CALLS = 60;
/** The random cases of one part get this long; a part that ran fewer than MIN_RANDOM_RUNS in it fails. */
const PROPERTY_TIME_LIMIT_MS = 20_000;
const MIN_RANDOM_RUNS = 10;
/** Failures that do not depend on the case drawn: reported as they are, not as "a random case". */
const NOT_ABOUT_THE_CASE = new Set(["load", "missing-file", "missing-export", "grader"]);

/**
 * Runs `check` on random cases; on failure, re-throws the failing case's own feedback (shrunk to a
 * small case by fast-check) with a note saying how to reproduce it.
 */
export async function property<T>(arb: fc.Arbitrary<T>, check: (v: T) => Promise<void>, opts: PropertyOptions = {}): Promise<void> {
  const part = currentPart();
  const seed = opts.seed ?? part?.seed ?? 1;
  const numRuns = opts.numRuns ?? 30;
  const timeLimitMs = opts.timeLimitMs ?? PROPERTY_TIME_LIMIT_MS;
  const minRuns = Math.min(MIN_RANDOM_RUNS, numRuns);
  // Cases the released grader has no recorded expected value for (./oracle.ts): before any failure
  // that is stale data (the part fails, saying so); while shrinking a failure, the case is skipped.
  let failures = 0;
  let staleData: OracleMiss | null = null;
  let stop = false;
  let shrinkCalls = 0;
  const wasInProperty = part?.inProperty ?? false;
  if (part) part.inProperty = true;
  let details: fc.RunDetails<[T]>;
  try {
    details = await fc.check(
      fc.asyncProperty(arb, async (v) => {
        if (stop) return;
        if (failures > 0 && ++shrinkCalls > MAX_SHRINK_CALLS) return;
        try {
          await check(v);
        } catch (e) {
          if (e instanceof OracleMiss) {
            if (failures === 0) staleData ??= e;
            return;
          }
          failures++;
          if (e instanceof GradeFailure && (e.stopShrinking || NOT_ABOUT_THE_CASE.has(e.origin))) stop = true;
          throw e;
        }
      }),
      { seed, numRuns, interruptAfterTimeLimit: timeLimitMs },
    );
  } finally {
    if (part) part.inProperty = wasInProperty;
  }
  if (!details.failed) {
    if (staleData) fail((staleData as OracleMiss).text, { origin: "grader" });
    // Cut short by the time limit: a slow answer must not shrink the random cases to a handful.
    if (details.interrupted && details.numRuns < minRuns) {
      const [ran, s] = [details.numRuns, timeLimitMs / 1000];
      fail(
        text(
          `${s} 秒内只跑完了 ${numRuns} 个随机用例中的 ${ran} 个（至少要 ${minRuns} 个）：你的函数在这些输入上太慢了，每次调用应远少于一秒`,
          `only ${ran} of ${numRuns} random cases ran in ${s} s (at least ${minRuns} must): your function is too slow on these inputs; each call should take well under a second`,
        ),
      );
    }
    return;
  }
  const err = details.errorInstance;
  if (err instanceof GradeFailure) {
    if (err.notStarted || err.stopShrinking || NOT_ABOUT_THE_CASE.has(err.origin)) throw err;
    const grading = part?.gradingSeed ?? null;
    const [run, shrinks] = [details.numRuns, details.numShrinks];
    // A student needs to know the case will come back; an instructor, how to draw it again.
    const note =
      grading === null
        ? text("  （一个随机用例，已缩小成一个小例子；每次运行都会出现同一个用例）", "  (a random case, shrunk to a small one; the same case comes back on every run)")
        : text(
            `  （一个随机用例：fast-check 种子 ${seed}，第 ${run} 次运行时失败，缩小了 ${shrinks} 次；为这次评分抽取：\`--seed ${grading}\` 会再抽到它）`,
            `  (a random case: fast-check seed ${seed}, failed on run ${run}, shrunk ${shrinks} times; drawn for this grading: \`--seed ${grading}\` brings it back)`,
          );
    fail(join([err.text, "\n", note]), { origin: err.origin, budgetUsedUp: err.budgetUsedUp });
  }
  throw err instanceof Error ? err : new Error(`property failed: ${String(err)}`);
}
