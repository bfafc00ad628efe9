/**
 * src/grader/spec/targets.ts in the kernel's worker: a batch's sandboxed submissions. The browser's
 * grading gives the harness its own submission (setActiveSubmission, lite/src/grade/), so the
 * sandbox is never asked for.
 */
export type { ActiveSubmission, SubmissionTargets } from "../../../src/grader/spec/targets";

export function submissionTargets(): never {
  throw new Error("the grader's sandbox does not run in the browser");
}
