/**
 * What the grader (./grade.ts) asks the spec runner (./run-specs.ts, a child process running vitest),
 * and what the runner tells it back over Node's IPC channel, one message per event. Plain JSON, so
 * the grader never shares a process, a module or a prototype with the specs' workers — and no
 * submission code ever runs in either: it runs in sandbox processes (./sandbox/).
 */

export interface RunRequest {
  /** The project root (vitest's root). */
  root: string;
  /** Folder of the per-submission test files grade.ts wrote (vitest's `dir`). */
  specsDir: string;
  /** Per-test time limit in ms. */
  testTimeout: number;
  /** vitest workers: submissions graded at the same time. */
  maxWorkers: number;
  /**
   * Where expected values come from: the reference solutions (`solutions`), the recorded table of
   * a released copy (`recorded`), or the solutions while recording that table (`record`).
   */
  expected: { mode: "solutions" } | { mode: "recorded"; dir: string } | { mode: "record"; dir: string };
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
