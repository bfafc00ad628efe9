/**
 * How a graded spec is written.
 *
 *   const ex = await student("avg-pool-as-conv");          // the module under grading (via src/grader/target)
 *   gradeExercise(ex, (part) => {
 *     part("seed", async () => {
 *       await checkCall(ex, { fn: "avgPoolAsConv", args: [X, [2, 2], { stride: 1 }], expected: ref.avgPoolAsConv });
 *     });
 *   });
 *
 * - Every `part` is one vitest test, declared (with its points) in src/grader/manifest.ts.
 * - The student's module is reached ONLY through the Target (async, codec'd); expected values come from
 *   the reference solution imported directly on this, the trusted, side (called on copies of the inputs),
 *   or from an independent statement in the spec.
 * - Random cases use fast-check with a seed fixed per part, so a grade is reproducible.
 * - Each part runs with its own context (./context.ts); the checks it makes live in ./calls.ts and
 *   ./property.ts, the words they say in ./feedback.ts (both languages, ../i18n.ts).
 */
import { afterAll, describe, inject, test } from "vitest";
import fc from "fast-check";
import * as lib from "d2l-pooling";
import { decode, encode, makePool, type PoolSpec } from "../codec";
import { text } from "../i18n";
import { exerciseById, partOf, type ExerciseId } from "../manifest";
import { MAX_FEEDBACK_CHARS, type PartFailure, type PartRecord } from "../records";
import { loadTarget, type Target } from "../target";
import { targetDir, targetFile } from "../paths";
import { fail, GradeFailure } from "./feedback";
import { runPart, seedFor } from "./context";
import { submissionTargets, type ActiveSubmission, type SubmissionTargets } from "./targets";
import type {} from "./global-setup";

export { lib };
export const { torch, F, Tensor, conv2d } = lib;
export type Tensor = lib.Tensor;
export { fc, fail, GradeFailure, seedFor };
export type { Target, ActiveSubmission };
export { callStudent, checkCall, checkOps, getStudent, recordAnswer, type CallSpec, type CheckSpec, type Hint, type Outcome } from "./calls";
export { property, type PropertyOptions } from "./property";

/** The submission a batch is grading now (./submission.ts), or null. */
let active: ActiveSubmission | null = null;

export function setActiveSubmission(s: ActiveSubmission | null): void {
  active = s;
}

/** In a plain vitest run of the specs: GRADE_TARGET's folder, graded through the sandbox prepared by ./global-setup.ts. */
let direct: SubmissionTargets | null | undefined;

function directSubmission(): SubmissionTargets | null {
  if (direct !== undefined) return direct;
  const provided = process.env.GRADE_IN_PROCESS ? undefined : inject("d2lGradeTarget");
  if (!provided) return (direct = null); // a batch worker, or GRADE_IN_PROCESS: no such run
  if ("error" in provided) throw new Error(`grader problem: ${provided.error}`);
  const targets = submissionTargets(provided.spec);
  afterAll(() => targets.close());
  return (direct = targets);
}

/** The submission this worker grades now: a batch's, else GRADE_TARGET's (null: in-process). */
const submission = (): ActiveSubmission | null => active ?? (collecting ? null : directSubmission());

/**
 * The module being graded for this exercise: the submission being graded in a batch, or in a plain
 * vitest run GRADE_TARGET's folder (default exercises/) through the sandbox (in this process with
 * GRADE_IN_PROCESS=1). Loaded on first use, so a spec needs no top-level await; loading never throws
 * (see loadTarget).
 */
export function student(id: ExerciseId): Target {
  let loading: Promise<Target> | null = null;
  const target = () => submission()?.targetFor(id) ?? (loading ??= loadTarget(id, lib));
  return {
    name: id,
    get file() {
      return submission()?.fileOf(id) ?? targetFile(targetDir(), id);
    },
    call: async (fn, ...args) => (await target()).call(fn, ...args),
    get: async (name) => (await target()).get(name),
    readConstants: async (names) => (await target()).readConstants(names),
    graph: async (fn, ...args) => (await target()).graph(fn, ...args),
  };
}

/** A pooling function that can be passed to a student's function (it crosses the codec by its spec). */
export function pool(spec: PoolSpec): (X: Tensor) => Tensor {
  return makePool(spec, lib) as unknown as (X: Tensor) => Tensor;
}

/** Deep copies through the codec: what the reference solution gets, so it cannot touch our inputs. */
export function copy<T>(value: T): T {
  return decode(encode(value, lib), lib) as T;
}

// ---------------------------------------------------------------------------------------------
// Exercises and parts

export type PartBody = () => Promise<void>;
export type PartFn = (key: string, body: PartBody) => void;
export type Collected = { exercise: ExerciseId; body: (part: PartFn) => void }[];

/** While a batch collects a spec module (./submission.ts), its exercises are recorded here instead of registered. */
let collecting: Collected | null = null;

/** Imports a spec module and returns the exercises it declares, without registering their tests. */
export async function collectSpec(load: () => Promise<unknown>): Promise<Collected> {
  const list: Collected = [];
  collecting = list;
  try {
    await load();
  } finally {
    collecting = null;
  }
  return list;
}

export function gradeExercise(ex: Target, body: (part: PartFn) => void): void {
  if (collecting) collecting.push({ exercise: ex.name as ExerciseId, body });
  else describeExercise(ex.name as ExerciseId, body);
}

/**
 * One `describe` per exercise, one test per manifest part (with its points in the name). Each part
 * leaves its typed record (../records.ts) in the test's meta, for the spec runner to pass on.
 */
export function describeExercise(id: ExerciseId, body: (part: PartFn) => void): void {
  const exercise = exerciseById(id);
  describe(`${exercise.id} — ${exercise.title.en}`, () => {
    body((key, fn) => {
      const p = partOf(exercise, key);
      const pts = `${p.points} pt${p.points === 1 ? "" : "s"}`;
      test(`${p.title.en} [${pts}]`, async (context) => {
        const record = await gradePart(id, key, fn);
        (context.task.meta as { record?: PartRecord }).record = record;
        if (record.failure) throw new GradeFailure(record.failure.message);
      });
    });
  });
}

/**
 * Runs one part in its own context (./context.ts) for the submission being graded; its record.
 * The same whether vitest runs it (above) or the warm grader (../warm/worker.ts).
 */
export async function gradePart(id: ExerciseId, key: string, fn: PartBody): Promise<PartRecord> {
  const gradingSeed = submission()?.seed ?? null;
  const record: PartRecord = { exercise: id, part: key, state: "failed", failure: null, answers: [] };
  const part = {
    exercise: id,
    part: key,
    seed: seedFor(gradingSeed === null ? `${id}/${key}` : `${gradingSeed}/${id}/${key}`),
    gradingSeed,
    record,
    fresh: { drawn: 0, checked: false },
    inProperty: false,
  };
  try {
    await runPart(part, fn);
    record.state = "passed";
  } catch (e) {
    record.failure = failureOf(e);
  }
  return record;
}

/** A thrown GradeFailure as the record's failure; anything else is the grader's problem. */
function failureOf(e: unknown): PartFailure {
  const cap = (t: { zh: string; en: string }) => ({ zh: capText(t.zh), en: capText(t.en) });
  if (e instanceof GradeFailure) return { message: cap(e.text), cause: e.origin, notStarted: e.notStarted, budgetUsedUp: e.budgetUsedUp };
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { message: cap(text(`评分器的问题（不是你的代码）：${what}`, `grader problem (not your code): ${what}`)), cause: "grader", notStarted: false, budgetUsedUp: false };
}

function capText(s: string): string {
  return s.length <= MAX_FEEDBACK_CHARS ? s : `${s.slice(0, MAX_FEEDBACK_CHARS)}\n… (${s.length - MAX_FEEDBACK_CHARS} more characters not shown)`;
}
