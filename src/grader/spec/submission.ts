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
import type { SpecModuleRef, SubmissionSpec } from "../protocol";
import { fail } from "./feedback";
import { collectSpec, describeExercise, setActiveSubmission, type ActiveSubmission, type PartFn } from "./harness";
import * as path from "node:path";

/** A spec module of the submission's test file, with the import that loads it. */
export interface SpecModule extends SpecModuleRef {
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
      const exercise = exerciseById(spec.exercise);
      const parts = gradedParts(exercise, sub.hidden).filter((p) => !!p.hidden === spec.hidden);
      describeExercise(exercise.id, (part) => {
        for (const p of parts) part(p.key, async () => fail(`not run: the spec file failed — ${why}`, { origin: "grader" }));
      });
      continue;
    }
    for (const { exercise, body } of exercises) describeExercise(exercise, body);
  }
  // A submission with no exercises to grade still needs one test for its file to run.
  if (specs.length === 0) test.skip("nothing to grade", () => undefined);
}
