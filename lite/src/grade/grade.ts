/**
 * `await showGrade()` in the browser (../kernel/grader.ts): the exercises as saved in the browser,
 * graded with the course's visible specs, the way `npm run grade` grades them.
 *
 * - The specs (test/exercises/<id>.test.ts, bundled by lite/build.js as `lite:specs`) are collected
 *   once, as a batch collects them (`collectSpec`), and each part runs through the harness's
 *   `gradePart`: its own seed, context and record.
 * - The student's module is reached through the grader's own door (`loadTarget`, src/grader/target.ts)
 *   and invocation (src/grader/invoke.ts): codec'd copies, the inputs-unchanged check, traced calls
 *   for the traced exercises. Its `require("d2l-pooling")` is what the exercise's capability allows
 *   (src/grader/manifest.ts `library`), as in the sandbox's realm (src/grader/sandbox/in-realm.ts).
 * - Points and the table come from src/grader/scoring.ts and results.ts.
 *
 * What it does not have: the sandbox's isolation (a separate process, time and memory limits), the
 * hidden parts and the type check. A student grading their own copy needs no protection from it.
 */
import * as codec from "../../../src/grader/codec";
import { forbiddenErrors, handedLibrary } from "../../../src/grader/capabilities";
import { text, type Text } from "../../../src/grader/i18n";
import { errorText, invoke, invokeTraced, loadFailure, readConstants, type Side } from "../../../src/grader/invoke";
import { EXERCISES, exerciseById, type Exercise, type ExerciseId } from "../../../src/grader/manifest";
import { htmlTable } from "../../../src/grader/results";
import { inLanguage, recordKey, scoreSubmission, type GradeReport } from "../../../src/grader/scoring";
import { collectSpec, gradePart, lib, setActiveSubmission, type Collected, type PartBody } from "../../../src/grader/spec/harness";
import { loadTarget, type Endpoint, type Target } from "../../../src/grader/target";
import type { CodecLibrary, Wire } from "../../../src/grader/codec";
import type { PartRecord } from "../../../src/grader/records";
import type { TensorMeta } from "../../../src/grader/trace/graph";
import type { Tracer } from "../../../src/grader/trace/record";
import { compileExercise, exerciseSources } from "../kernel/modules";
import { addFile, removeFile } from "../shims/fs";
import { specs } from "lite:specs";
import { EXERCISES_DIR } from "./project";

export { htmlTable, inLanguage };

const DISPLAY = "exercises";

/** The specs' exercises, collected once per kernel session. */
let collected: Promise<Collected> | null = null;
function collectedSpecs(): Promise<Collected> {
  return (collected ??= (async () => {
    const all: Collected = [];
    for (const e of EXERCISES) if (specs[e.id]) all.push(...(await collectSpec(specs[e.id])));
    return all;
  })());
}

/** Errors of what an exercise may not use, with their words: reported as "not allowed", not as a throw. */
const forbidden = forbiddenErrors();

/**
 * What `require("d2l-pooling")` gives an exercise's code: the tracer's library, the restricted one,
 * or the whole module. Made once per exercise and kept: both change the kernel's Tensor.prototype
 * (a pass-through for tensors that are not traced), so they must not pile up run after run.
 */
const handed = new Map<ExerciseId, { library: Record<string, unknown>; tracer: Tracer | null }>();
function libraryFor(e: Exercise): { library: Record<string, unknown>; tracer: Tracer | null } {
  let h = handed.get(e.id);
  if (!h) {
    h = handedLibrary(lib as unknown as Record<string, unknown>, e.library, forbidden.error);
    handed.set(e.id, h);
  }
  return h;
}

/**
 * The Endpoint of one exercise file, compiled from the browser's text now: its own library, and the
 * other files of exercises/ as `./name` (helper files), as the sandbox's realm allows.
 */
function browserEndpoint(e: Exercise): Endpoint {
  const shown = `${DISPLAY}/${e.id}.ts`;
  const { library, tracer } = libraryFor(e);
  const modules = new Map<string, Record<string, unknown>>();
  const requireFor = (id: string): unknown => {
    if (id === "d2l-pooling") return library;
    const m = /^\.\/([\w.-]+?)(\.ts|\.js)?$/.exec(id);
    if (m && !m[1].includes("..")) return load(m[1]);
    throw new Error(`Cannot find module '${id}': an exercise file may import d2l-pooling and other files of exercises/ (./name)`);
  };
  const load = (name: string): Record<string, unknown> => {
    let exports = modules.get(name);
    if (!exports) {
      exports = {};
      modules.set(name, exports); // before it runs, so two files may import each other
      Object.assign(exports, compileExercise(name, requireFor));
    }
    return exports;
  };
  const side: Side = {
    lib: lib as unknown as CodecLibrary,
    codec,
    shown,
    locate: () => undefined,
    forbidden: forbidden.wordsOf,
  };
  let mod: Record<string, unknown>;
  try {
    mod = load(e.id);
  } catch (x) {
    const failure = loadFailure(shown, errorText(x));
    return { call: async () => ({ ok: false, failure }), get: async () => ({ ok: false, failure }) };
  }
  return {
    call: (fn, args) => invoke(mod, { op: "call", name: fn, args }, side),
    get: (name) => invoke(mod, { op: "get", name }, side),
    constants: (names) => readConstants(mod, names, side),
    ...(tracer ? { trace: (fn: string, args: Wire, inputs: TensorMeta[]) => invokeTraced(mod, { op: "trace", name: fn, args, inputs }, side, tracer) } : {}),
  };
}

/** `ids` checked against the course's exercises (names as in exercises/, without .ts). */
function chosen(ids: readonly string[] | undefined): Exercise[] {
  if (!ids) return [...EXERCISES];
  return ids.map((id) => {
    try {
      return exerciseById(id);
    } catch {
      throw new Error(`showGrade: no exercise "${id}" / 没有这个练习。Exercises: ${EXERCISES.map((e) => e.id).join(", ")}`);
    }
  });
}

/** Grades the exercises (all, or `ids`) as the browser holds them now; the report, in both languages. */
export async function gradeHere(ids?: readonly string[]): Promise<GradeReport> {
  const exercises = chosen(ids);
  const all = await collectedSpecs();
  const sources = exerciseSources();
  // The grader looks for each file before loading it (a missing one fails its parts, saying so).
  for (const e of exercises) {
    const file = `${EXERCISES_DIR}/${e.id}.ts`;
    if (sources[e.id] === undefined) removeFile(file);
    else addFile(file, new TextEncoder().encode(sources[e.id]));
  }
  const targets = new Map<ExerciseId, Promise<Target>>();
  const targetFor = (id: ExerciseId) => {
    let t = targets.get(id);
    if (!t) {
      t = loadTarget(id, lib as unknown as CodecLibrary, { dir: EXERCISES_DIR, display: DISPLAY, loader: async () => browserEndpoint(exerciseById(id)) });
      targets.set(id, t);
    }
    return t;
  };
  const started = Date.now();
  const records = new Map<string, PartRecord>();
  setActiveSubmission({ id: "browser", seed: null, targetFor, fileOf: (id) => `${EXERCISES_DIR}/${id}.ts` });
  try {
    for (const e of exercises) {
      // Written answers are read once, before any graded call (as the sandbox does).
      await (await targetFor(e.id)).readConstants(e.exports).catch(() => undefined);
      for (const c of all.filter((x) => x.exercise === e.id)) {
        const parts: [string, PartBody][] = [];
        c.body((key, fn) => parts.push([key, fn]));
        for (const [key, fn] of parts) records.set(recordKey(e.id, key), await gradePart(e.id, key, fn));
      }
    }
  } finally {
    setActiveSubmission(null);
  }
  return scoreSubmission({
    target: DISPLAY,
    hidden: false,
    exercises,
    records,
    unreported: text("没有运行：这一部分没有测试（评分器的问题）", "not run: no test for this part (a grader problem)"),
    runWarnings: [],
    notes: [],
    budgetSeconds: 0,
    executionTime: (Date.now() - started) / 1000,
    seed: null,
  });
}
