/**
 * What the spec runner (a child process running vitest, ./run-specs.ts) tells the grader (./grade.ts)
 * over Node's IPC channel, one message per event. Plain JSON, so the grader never shares a process,
 * a module or a prototype with code that touched a submission.
 */

export interface RunRequest {
  /** The project root (vitest's root). */
  root: string;
  /** Spec files to run, absolute. */
  files: string[];
  /** The folder of the modules under grading (exported to the specs as GRADE_TARGET). */
  target: string;
  /** Per-test time limit in ms (async hangs; a busy loop is handled by the grader's kill timer). */
  testTimeout: number;
  maxWorkers: number;
  /**
   * A fresh worker per spec file (slower). Off by default: the specs share one copy of the library
   * per worker, which is safe for a student's own run; hostile submissions need the sandbox anyway.
   */
  isolate: boolean;
}

export type RunnerMessage =
  | {
      type: "case";
      file: string;
      exercise: string | null;
      part: string | null;
      name: string;
      state: "passed" | "failed" | "skipped" | "pending";
      /** The first error's message (for a GradeFailure: the whole feedback). */
      message: string | null;
      /** Annotations (written answers), in order. */
      annotations: string[];
    }
  | { type: "module"; file: string; state: string; errors: string[] }
  | { type: "done"; errors: string[] }
  | { type: "fatal"; message: string };
