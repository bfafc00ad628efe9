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
import { text } from "../i18n";
import { exerciseById, gradedParts, type ExerciseId } from "../manifest";
import type { SpecModuleRef, SubmissionSpec } from "../protocol";
import { fail } from "./feedback";
import { collectSpec, describeExercise, setActiveSubmission, type PartFn } from "./harness";
import { submissionTargets } from "./targets";

/** A spec module of the submission's test file, with the import that loads it. */
export interface SpecModule extends SpecModuleRef {
  load: () => Promise<unknown>;
}

type Collected = { exercise: ExerciseId; body: (part: PartFn) => void }[];
const collected = new Map<string, Promise<Collected>>();

export async function gradeSubmission(sub: SubmissionSpec, specs: SpecModule[]): Promise<void> {
  const targets = submissionTargets(sub);
  beforeAll(async () => {
    setActiveSubmission(targets);
    await targets.start([...new Set(specs.map((s) => s.exercise as ExerciseId))]);
  });
  afterAll(async () => {
    setActiveSubmission(null);
    await targets.close();
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
        for (const p of parts) part(p.key, async () => fail(text(`没有运行：测试文件出错——${why}`, `not run: the spec file failed — ${why}`), { origin: "grader" }));
      });
      continue;
    }
    for (const { exercise, body } of exercises) describeExercise(exercise, body);
  }
  // A submission with no exercises to grade still needs one test for its file to run.
  if (specs.length === 0) test.skip("nothing to grade", () => undefined);
}
