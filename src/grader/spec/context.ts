/**
 * The part being graded, as a context that follows the part's own async calls (AsyncLocalStorage):
 * its random seed, its record (written answers go in), the fresh cases it has checked, whether a
 * property is running. The checks a part makes (./calls.ts, ./property.ts) read it from there — no
 * module-level "current part" that another part's late promise could change.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { ExerciseId } from "../manifest";
import type { PartRecord } from "../records";

export interface PartContext {
  exercise: ExerciseId;
  part: string;
  /** fast-check's seed for this part's random cases. */
  seed: number;
  /** The grading seed (an instructor's grading: fresh cases) or null (fixed cases only). */
  gradingSeed: number | null;
  record: PartRecord;
  /** Fresh cases drawn so far, and whether one was checked (one per part is enough). */
  fresh: { drawn: number; checked: boolean };
  /** Inside `property()`: its cases are not checked with fresh ones, and stale data is skipped. */
  inProperty: boolean;
}

const storage = new AsyncLocalStorage<PartContext>();

/** Runs a part's body with its context. */
export function runPart<T>(context: PartContext, body: () => T): T {
  return storage.run(context, body);
}

/** The part this code runs for, or null outside a part (a spec's own helpers, the grader's tests). */
export function currentPart(): PartContext | null {
  return storage.getStore() ?? null;
}

/** A stable 31-bit seed per text (`exercise/part`): the same random cases on every run, different per part. */
export function seedFor(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 1) || 1;
}
