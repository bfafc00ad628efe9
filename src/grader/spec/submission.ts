/**
 * How the grader runs the specs for a submission (src/grader/grade.ts writes one small test file per
 * submission that calls `gradeSubmission`; vitest runs those files, several submissions per worker):
 *
 * - each spec module is imported ONCE per worker and its exercises are collected, not registered
 *   (harness.ts `collectSpec`); every submission's file then registers them again, so a class of
 *   100 pays for loading the specs, the solutions and fast-check once per worker;
 * - while a submission's tests run, `student(id)` Targets route to it (`setActiveSubmission`), and
 *   its code runs only in its sandbox process (src/grader/sandbox/), never in this worker;
 * - its time limit starts with its first test and covers all of its code; its sandbox is stopped
 *   when its last test has run.
 */
import { afterAll, beforeAll, test } from "vitest";
import * as lib from "d2l-pooling";
import { exerciseById, gradedParts, type ExerciseId } from "../manifest";
import { Sandbox } from "../sandbox/sandbox";
import { loadTarget, type Endpoint, type Target } from "../target";
import { collectSpec, describeExercise, setActiveSubmission, type ActiveSubmission, type PartFn } from "./harness";
import * as path from "node:path";

/** What grade.ts writes into a submission's test file (plain JSON). */
export interface SubmissionSpec {
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
  /** Include the hidden parts (their spec files are in `specs`). */
  hidden: boolean;
  /** Keep a warm sandbox process for the worker's next submission (a batch of several). */
  warmSpare: boolean;
}

export interface SpecModule {
  /** Absolute path of the spec file. */
  file: string;
  /** The exercise it grades (from the file name). */
  exercise: ExerciseId;
  /** Whether it is an instructor-only spec (test/exercises/hidden/). */
  hidden: boolean;
  load: () => Promise<unknown>;
}

type Collected = { exercise: ExerciseId; body: (part: PartFn) => void }[];
const collected = new Map<string, Promise<Collected>>();

function failing(message: string): Endpoint {
  const failure = { kind: "load" as const, message };
  return { call: async () => ({ ok: false, failure }), get: async () => ({ ok: false, failure }) };
}

export async function gradeSubmission(sub: SubmissionSpec, specs: SpecModule[]): Promise<void> {
  let startedAt = 0;
  let sandbox: Sandbox | null = null;
  const openSandbox = () =>
    (sandbox ??= new Sandbox({
      runDir: sub.runDir,
      libDir: sub.libDir,
      display: sub.display,
      callTimeoutMs: sub.callTimeoutMs,
      retryTimeoutMs: sub.retryTimeoutMs,
      memoryMb: sub.memoryMb,
      warmSpare: sub.warmSpare,
      deadline: (startedAt || Date.now()) + sub.timeoutMs,
      budgetSeconds: Math.round(sub.timeoutMs / 1000),
    }));
  const targets = new Map<ExerciseId, Promise<Target>>();
  const active: ActiveSubmission = {
    id: sub.id,
    fileOf: (exercise) => path.join(sub.sourceDir, `${exercise}.ts`),
    targetFor: (exercise) => {
      let t = targets.get(exercise);
      if (!t) {
        const syntax = sub.syntaxErrors[exercise];
        const loader = syntax
          ? async () => failing(`${sub.display}/${exercise}.ts could not be loaded: ${syntax}`)
          : openSandbox().loader();
        t = loadTarget(exercise, lib, { dir: sub.sourceDir, display: sub.display, loader });
        targets.set(exercise, t);
      }
      return t;
    },
  };

  beforeAll(() => {
    startedAt = Date.now();
    setActiveSubmission(active);
  });
  afterAll(async () => {
    setActiveSubmission(null);
    await (sandbox as Sandbox | null)?.close();
  });

  for (const spec of specs) {
    let list = collected.get(spec.file);
    if (!list) {
      list = collectSpec(spec.load);
      collected.set(spec.file, list);
    }
    let exercises: Collected;
    try {
      exercises = await list;
    } catch (e) {
      // A spec that cannot load is the grader's problem: its parts fail, the others run.
      const why = e instanceof Error ? e.message.split("\n")[0] : String(e);
      const parts = gradedParts(exerciseById(spec.exercise), sub.hidden).filter((p) => !!p.hidden === spec.hidden);
      describeExercise(spec.exercise, (part) => {
        for (const p of parts) {
          part(p.key, async () => {
            throw new Error(`not run: the spec file failed — ${why}`);
          });
        }
      });
      continue;
    }
    for (const { exercise, body } of exercises) describeExercise(exercise, body);
  }
  // A submission with no exercises to grade still needs one test for its file to run.
  if (specs.length === 0) test.skip("nothing to grade", () => undefined);
}
