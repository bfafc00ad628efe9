/**
 * The messages between the grader's processes, typed on both ends:
 *
 * - `SubmissionSpec`: what the grader (./grade.ts) writes into the test file of one submission, read
 *   by the spec side (./spec/submission.ts) in a vitest worker;
 * - `RunRequest`: what the grader asks the spec runner (./run-specs.ts, a child process running
 *   vitest), and `RunnerMessage`: what the runner tells it back over Node's IPC channel, one message
 *   per event.
 *
 * Plain JSON, so the grader never shares a process, a module or a prototype with the specs' workers —
 * and no submission code ever runs in either: it runs in sandbox processes (./sandbox/).
 */
import type { PartRecord } from "./records";

export interface SubmissionSpec {
  /** The student (a folder name in a batch). */
  id: string;
  /** The copied .ts files, and the compiled .js files the sandbox runs. */
  sourceDir: string;
  runDir: string;
  /** The library copy the sandbox reads. */
  libDir: string;
  /** How files are named in feedback ("exercises"). */
  display: string;
  /** Wall-clock limit for all of the submission's code, ms. */
  timeoutMs: number;
  callTimeoutMs: number;
  retryTimeoutMs: number;
  memoryMb: number;
  /** Exercise → syntax error (the file was not compiled). */
  syntaxErrors: Record<string, string>;
  /** Include the hidden parts. */
  hidden: boolean;
  /** Keep a warm sandbox process for the worker's next submission (a batch of several). */
  warmSpare: boolean;
  /**
   * The grading seed (an instructor's grading): random parts draw their cases from it and fixed
   * cases are checked with fresh ones too (./spec/fresh.ts). null: the fixed seeds and cases only.
   */
  seed: number | null;
}

/** One spec module a submission's test file runs. */
export interface SpecModuleRef {
  /** Absolute path of the spec file. */
  file: string;
  /** The exercise it grades. */
  exercise: string;
  /** An instructor-only spec (test/exercises/hidden/). */
  hidden: boolean;
}

export interface RunRequest {
  /** The project root (vitest's root). */
  root: string;
  /** Folder of the per-submission test files grade.ts wrote (vitest's `dir`). */
  specsDir: string;
  /** Per-test time limit in ms. */
  testTimeout: number;
  /** Limit of a submission's setup (reading its constants: loading its files), ms. */
  hookTimeout: number;
  /** vitest workers: submissions graded at the same time. */
  maxWorkers: number;
  /**
   * Where expected values come from: the reference solutions (`solutions`), the recorded table of
   * a released copy (`recorded`), or the solutions while recording that table (`record`).
   */
  expected: { mode: "solutions" } | { mode: "recorded"; dir: string } | { mode: "record"; dir: string };
}

export type RunnerMessage =
  /** A graded part finished (its record), in the test file `file`. */
  | { type: "part"; file: string; record: PartRecord }
  /** A test file (one submission) finished; `errors`: what failed outside its tests. */
  | { type: "module"; file: string; errors: string[] }
  | { type: "done"; errors: string[] }
  | { type: "fatal"; message: string };
