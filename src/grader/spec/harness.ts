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
 */
import { afterAll, describe, inject, test, type TestContext } from "vitest";
import fc from "fast-check";
import * as lib from "d2l-pooling";
import { decode, encode, makePool, type PoolSpec, type Wire } from "../codec";
import { exerciseById, partOf, type ExerciseId } from "../manifest";
import { capText, MAX_ANSWER_CHARS, MAX_FEEDBACK_CHARS, type PartFailure, type PartRecord } from "../records";
import { loadTarget, TargetError, type Target } from "../target";
import { projectRoot, targetDir, targetFile } from "../paths";
import { argNames, compare, fail, FLOAT32, GradeFailure, showCall, type Tolerance } from "./feedback";
import { OracleMiss } from "./oracle";
import { freshCase, rngFrom } from "./fresh";
import * as path from "node:path";
import { submissionTargets, type ActiveSubmission, type SubmissionTargets } from "./targets";
import type {} from "./global-setup";

export { lib };
export const { torch, F, Tensor, conv2d } = lib;
export type Tensor = lib.Tensor;
export { fc, fail, GradeFailure };
export type { Target };

export type { ActiveSubmission };

/** The submission a batch is grading now (./submission.ts), or null. */
let active: ActiveSubmission | null = null;

export function setActiveSubmission(s: ActiveSubmission | null): void {
  active = s;
}

/** The grading seed of the submission being graded (null: a student's run, fixed cases only). */
function gradingSeed(): number | null {
  return (active ?? direct ?? null)?.seed ?? null;
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

/**
 * The module being graded for this exercise: the submission being graded in a batch, or in a plain
 * vitest run GRADE_TARGET's folder (default exercises/) through the sandbox (in this process with
 * GRADE_IN_PROCESS=1). Loaded on first use, so a spec needs no top-level await; loading never throws
 * (see loadTarget).
 */
export function student(id: ExerciseId): Target {
  const own = collecting ? null : directSubmission();
  let loading: Promise<Target> | null = null;
  const current = () => active ?? own;
  const target = () => current()?.targetFor(id) ?? (loading ??= loadTarget(id, lib));
  return {
    name: id,
    get file() {
      return current()?.fileOf(id) ?? targetFile(targetDir(), id);
    },
    call: async (fn, ...args) => (await target()).call(fn, ...args),
    get: async (name) => (await target()).get(name),
    source: async () => (await target()).source(),
    readConstants: async (names) => (await target()).readConstants(names),
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

export type PartBody = (context: TestContext) => Promise<void>;
export type PartFn = (key: string, body: PartBody) => void;

let currentSeed = 1;
/** The part running now (`exercise/part`), and how many fresh cases it has checked. */
let currentPart = "";
let freshCount = 0;
let freshChecked = false;

/** A stable 31-bit seed per (exercise, part): the same random cases on every run, different per part. */
export function seedFor(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 1) || 1;
}

/** While a batch collects a spec module (./batch.ts), its exercises are recorded here instead of registered. */
let collecting: { exercise: ExerciseId; body: (part: PartFn) => void }[] | null = null;

/** Imports a spec module and returns the exercises it declares, without registering their tests. */
export async function collectSpec(load: () => Promise<unknown>): Promise<{ exercise: ExerciseId; body: (part: PartFn) => void }[]> {
  const list: { exercise: ExerciseId; body: (part: PartFn) => void }[] = [];
  collecting = list;
  try {
    await load();
  } finally {
    collecting = null;
  }
  return list;
}

export function gradeExercise(ex: Target, body: (part: PartFn) => void): void {
  if (collecting) {
    collecting.push({ exercise: ex.name as ExerciseId, body });
    return;
  }
  describeExercise(ex.name as ExerciseId, body);
}

/** The record of the part now running (written answers go into it). */
let currentRecord: PartRecord | null = null;

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
      test(`${p.title} [${pts}]`, { timeout: 60_000 }, async (context) => {
        const grading = gradingSeed();
        currentSeed = grading === null ? seedFor(`${exercise.id}/${key}`) : seedFor(`${grading}/${exercise.id}/${key}`);
        currentPart = `${exercise.id}/${key}`;
        freshCount = 0;
        freshChecked = false;
        const record: PartRecord = { exercise: exercise.id, part: key, state: "failed", failure: null, answers: [] };
        currentRecord = record;
        try {
          await fn(context);
          record.state = "passed";
        } catch (e) {
          record.failure = failureOf(e);
          throw e;
        } finally {
          currentRecord = null;
          (context.task.meta as { record?: PartRecord }).record = record;
        }
      });
    });
  });
}

/** A thrown GradeFailure as the record's failure; anything else is the grader's problem. */
function failureOf(e: unknown): PartFailure {
  if (e instanceof GradeFailure) {
    return { message: capText(e.message, MAX_FEEDBACK_CHARS), cause: e.origin, notStarted: e.notStarted, budgetUsedUp: e.budgetUsedUp };
  }
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { message: capText(`grader problem (not your code): ${text}`, MAX_FEEDBACK_CHARS), cause: "grader", notStarted: false, budgetUsedUp: false };
}

// ---------------------------------------------------------------------------------------------
// Calling the student

/** What happened in a failed call: a hint may depend on it (say what the student's result shows). */
export interface Outcome {
  args: readonly unknown[];
  expected: unknown;
  /** What the student's function returned (undefined when it threw). */
  actual?: unknown;
  /** The message it threw, when it threw. */
  threw?: string;
}

/** A fixed hint, or one chosen from what happened (undefined: no hint). */
export type Hint = string | ((outcome: Outcome) => string | undefined);

function hintFor(hint: Hint | undefined, outcome: Outcome): string | undefined {
  return typeof hint === "function" ? hint(outcome) : hint;
}

export interface CallSpec {
  fn: string;
  args: readonly unknown[];
  /** Display names of the arguments (tensors default to X, Y, Z...). */
  names?: readonly (string | undefined)[];
  hint?: Hint;
  /** Shown with a failure when the student's function threw. */
  expected?: unknown;
}

/** Calls the student's function; any failure (not implemented, threw, missing) becomes a GradeFailure. */
export async function callStudent(ex: Target, c: CallSpec): Promise<unknown> {
  try {
    return await ex.call(c.fn, ...c.args);
  } catch (e) {
    if (!(e instanceof TargetError)) throw e;
    const f = e.failure;
    const at = f.location ? ` (${f.location})` : "";
    const how = { origin: f.kind, budgetUsedUp: f.budgetUsedUp === true };
    if (f.notImplemented) fail(`${c.fn}: not implemented yet${at}`, { ...how, notStarted: true });
    if (f.kind === "threw") {
      fail({ headline: `${showCall(c.fn, c.args, c.names)} threw ${f.message}${at}`, call: c, expected: c.expected, hint: hintFor(c.hint, { args: c.args, expected: c.expected, threw: f.message }) }, how);
    }
    if (f.kind === "forbidden") fail(`${showCall(c.fn, c.args, c.names)}: ${f.message}${at}`, how);
    if (f.kind === "mutated") {
      const name = f.argument !== undefined ? (argNames(c.args, c.names)[f.argument] ?? `argument ${f.argument + 1}`) : "an argument";
      fail({ headline: `${showCall(c.fn, c.args, c.names)} changed its input ${name}: ${f.message}`, call: c }, how);
    }
    if (f.kind === "timeout" || f.kind === "memory" || f.kind === "crashed") {
      // Each further call would cost as much again: report this case, do not shrink it.
      fail(`${showCall(c.fn, c.args, c.names)}: ${f.message}`, { ...how, stopShrinking: true });
    }
    // A file that cannot load (a syntax error, no such file or export) fails every case alike: no
    // random case to report, nothing to shrink.
    const anyCase = f.kind === "load" || f.kind === "missing-file" || f.kind === "missing-export";
    fail({ headline: f.message, hint: f.kind === "codec" ? hintFor(c.hint, { args: c.args, expected: c.expected }) : undefined }, { ...how, stopShrinking: anyCase });
  }
}

/** Reads an exported constant (written answers, yes/no answers). */
export async function getStudent(ex: Target, name: string): Promise<unknown> {
  try {
    return await ex.get(name);
  } catch (e) {
    if (!(e instanceof TargetError)) throw e;
    fail(e.failure.message, { origin: e.failure.kind, budgetUsedUp: e.failure.budgetUsedUp === true });
  }
}

export interface CheckSpec extends Omit<CallSpec, "expected"> {
  /** The expected value, or the reference function (called on copies of `args`). */
  expected: unknown;
  tol?: Tolerance;
}

/** Calls the student's function and compares with the expected value; returns what the student returned. */
/**
 * Reference results by function and arguments: the reference functions are pure, and a batch grades
 * every submission on the same (seeded) inputs, so each is computed once per worker.
 */
const referenceResults = new WeakMap<object, Map<string, Wire>>();
const MAX_REMEMBERED = 20_000;

function referenceResult(fn: (...a: unknown[]) => unknown, args: readonly unknown[]): unknown {
  const wireArgs = encode([...args], lib);
  const key = JSON.stringify(wireArgs);
  let known = referenceResults.get(fn);
  if (!known) referenceResults.set(fn, (known = new Map()));
  const hit = known.get(key);
  if (hit !== undefined) return decode(hit, lib);
  const result = fn(...(decode(wireArgs, lib) as unknown[]));
  let wire: Wire | undefined;
  try {
    wire = encode(result, lib);
  } catch {
    return result; // not storable (never the case for the reference solutions): just use it
  }
  if (known.size < MAX_REMEMBERED && key.length < 1_000_000) known.set(key, wire);
  return result;
}

export async function checkCall(ex: Target, c: CheckSpec): Promise<unknown> {
  let expected: unknown;
  try {
    expected = typeof c.expected === "function" ? referenceResult(c.expected as (...a: unknown[]) => unknown, c.args) : c.expected;
  } catch (e) {
    if (e instanceof OracleMiss && propertyDepth === 0) fail(e.message, { origin: "grader" });
    throw e;
  }
  const actual = await callStudent(ex, { ...c, expected });
  const m = compare(expected, actual, c.tol ?? FLOAT32);
  if (m) fail({ headline: `${showCall(c.fn, c.args, c.names)}: ${m.summary}`, call: c, expected, actual, hint: hintFor(c.hint, { args: c.args, expected, actual }) });
  if (gradingSeed() !== null && propertyDepth === 0) await checkFresh(ex, c);
  return actual;
}

/** The reference solution of an exercise (the instructor's project has solutions/). */
const references = new Map<string, Promise<Record<string, unknown>>>();
function referenceOf(exercise: string): Promise<Record<string, unknown>> {
  let r = references.get(exercise);
  if (!r) references.set(exercise, (r = import(path.join(projectRoot(), "solutions", `${exercise}.ts`)) as Promise<Record<string, unknown>>));
  return r;
}

/** In an instructor's grading: the same check on a fresh case of the same kind (./fresh.ts). */
async function checkFresh(ex: Target, c: CheckSpec): Promise<void> {
  // One fresh case per part is enough to tell work from replay; more would only cost time.
  if (freshChecked) return;
  const seed = gradingSeed()!;
  const fresh = freshCase(ex.name, c.fn, c.args, rngFrom(seedFor(`${seed}/${currentPart}/${freshCount++}`)));
  if (!fresh) return;
  const reference = typeof c.expected === "function" ? (c.expected as (...a: unknown[]) => unknown) : ((await referenceOf(ex.name))[c.fn] as ((...a: unknown[]) => unknown) | undefined);
  if (typeof reference !== "function") return;
  let expected: unknown;
  try {
    expected = referenceResult(reference, fresh.args);
  } catch {
    return; // not a valid case for this function: no fresh check
  }
  freshChecked = true;
  const tol = c.tol ?? FLOAT32;
  const fc = { ...c, args: fresh.args, expected, tol: { rtol: tol.rtol, atol: tol.atol * fresh.scale } };
  const why = `a fresh case like the one above, drawn for this grading with seed ${seed}: \`--seed ${seed}\` draws it again`;
  let actual: unknown;
  try {
    actual = await callStudent(ex, fc);
  } catch (e) {
    if (e instanceof GradeFailure) e.message = `${e.message}\n  (${why})`;
    throw e;
  }
  const m = compare(expected, actual, fc.tol);
  if (m) fail({ headline: `${showCall(c.fn, fresh.args, c.names)}: ${m.summary}`, call: fc, expected, actual, hint: hintFor(c.hint, { args: fresh.args, expected, actual }), notes: [`  (${why})`] });
}

// ---------------------------------------------------------------------------------------------
// Random cases

export interface PropertyOptions {
  numRuns?: number;
  seed?: number;
  /** How long the random cases may take (default 20 s); fewer than 10 runs in it fail the part. */
  timeLimitMs?: number;
}

/**
 * Runs `check` on random cases; on failure, re-throws the failing case's own feedback (shrunk to a
 * small case by fast-check) with a note saying how to reproduce it.
 */
let propertyDepth = 0;
const MAX_SHRINK_CALLS = 60;
/** The random cases of one part get this long; a part that ran fewer than MIN_RANDOM_RUNS in it fails. */
const PROPERTY_TIME_LIMIT_MS = 20_000;
const MIN_RANDOM_RUNS = 10;

export async function property<T>(arb: fc.Arbitrary<T>, check: (v: T) => Promise<void>, opts: PropertyOptions = {}): Promise<void> {
  const seed = opts.seed ?? currentSeed;
  const numRuns = opts.numRuns ?? 30;
  const timeLimitMs = opts.timeLimitMs ?? PROPERTY_TIME_LIMIT_MS;
  const minRuns = Math.min(MIN_RANDOM_RUNS, numRuns);
  // Cases the released grader has no recorded expected value for (./oracle.ts): before any failure
  // that is stale data (the part fails, saying so); while shrinking a failure, the case is skipped.
  let failures = 0;
  let staleData: OracleMiss | null = null;
  let stop = false;
  // Shrinking a failure to a small case is worth a few dozen more calls, not hundreds.
  let shrinkCalls = 0;
  propertyDepth++;
  let details: fc.RunDetails<[T]>;
  try {
    details = await fc.check(
      fc.asyncProperty(arb, async (v) => {
        if (stop) return;
        if (failures > 0 && ++shrinkCalls > MAX_SHRINK_CALLS) return;
        try {
          await check(v);
        } catch (e) {
          if (e instanceof OracleMiss) {
            if (failures === 0) staleData ??= e;
            return;
          }
          failures++;
          if (e instanceof GradeFailure && e.stopShrinking) stop = true;
          throw e;
        }
      }),
      { seed, numRuns, interruptAfterTimeLimit: timeLimitMs },
    );
  } finally {
    propertyDepth--;
  }
  if (!details.failed) {
    if (staleData) fail((staleData as OracleMiss).message, { origin: "grader" });
    // Cut short by the time limit: a slow answer must not shrink the random cases to a handful.
    if (details.interrupted && details.numRuns < minRuns) {
      fail(
        `only ${details.numRuns} of ${numRuns} random cases ran in ${timeLimitMs / 1000} s (at least ${minRuns} must): ` +
          "your function is too slow on these inputs; each call should take well under a second",
      );
    }
    return;
  }
  const err = details.errorInstance;
  if (err instanceof GradeFailure) {
    if (err.notStarted || err.stopShrinking) throw err;
    const again = gradingSeed() === null ? "the same case comes back on every run" : `drawn for this grading: \`--seed ${gradingSeed()}\` brings it back`;
    fail(`${err.message}\n  (a random case: fast-check seed ${seed}, failed on run ${details.numRuns}, shrunk ${details.numShrinks} times; ${again})`, {
      origin: err.origin,
      budgetUsedUp: err.budgetUsedUp,
    });
  }
  throw err instanceof Error ? err : new Error(`property failed: ${String(err)}`);
}

// ---------------------------------------------------------------------------------------------
// Written answers and source checks

/** A 0-point part that records a written answer for the instructor (never graded by text match). */
export async function recordAnswer(ex: Target, name: string, _context?: TestContext): Promise<void> {
  const text = await getStudent(ex, name);
  if (typeof text !== "string" || text.trim().length < 10) {
    fail(`${name}: no written answer yet — write a few sentences (Chinese or English) in ${ex.name}.ts; your instructor reads it, it is not graded automatically`, { notStarted: true });
  }
  currentRecord?.answers.push(capText(text.trim(), MAX_ANSWER_CHARS));
}

/** The source with comments and string/template literals blanked (so words in them do not count). */
export function stripCommentsAndStrings(src: string): string {
  let out = "";
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const next = src[i + 1];
    if (c === "/" && next === "/") {
      while (i < src.length && src[i] !== "\n") i++;
    } else if (c === "/" && next === "*") {
      i += 2;
      while (i < src.length && !(src[i] === "*" && src[i + 1] === "/")) i++;
      i += 2;
      out += " ";
    } else if (c === '"' || c === "'" || c === "`") {
      i++;
      while (i < src.length && src[i] !== c) i += src[i] === "\\" ? 2 : 1;
      i++;
      out += `${c}${c}`;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The body of `function name(...) {...}` or `const name = (...) => {...}` in stripped source, or null. */
export function functionBody(stripped: string, name: string): string | null {
  const start = new RegExp(`(?:function\\s+${name}\\b|(?:const|let|var)\\s+${name}\\b[^=]*=)`).exec(stripped);
  if (!start) return null;
  // The body starts at the first "{" after the parameter list, found by balancing parentheses.
  let i = stripped.indexOf("(", start.index);
  if (i < 0) return null;
  let depth = 0;
  for (; i < stripped.length; i++) {
    if (stripped[i] === "(") depth++;
    else if (stripped[i] === ")" && --depth === 0) break;
  }
  const open = stripped.indexOf("{", i);
  if (open < 0) return null;
  depth = 0;
  for (let j = open; j < stripped.length; j++) {
    if (stripped[j] === "{") depth++;
    else if (stripped[j] === "}" && --depth === 0) return stripped.slice(open, j + 1);
  }
  return null;
}

/** Top-level function names of the file, with their bodies (stripped source). */
export function topLevelFunctions(stripped: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /(?:^|\n)\s*(?:export\s+)?(?:(?:async\s+)?function\s+([A-Za-z_$][\w$]*)|(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]*)?=\s*(?:async\s*)?(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*(?::[^=]*)?=>)/g;
  for (let m = re.exec(stripped); m; m = re.exec(stripped)) {
    const name = m[1] ?? m[2];
    const body = functionBody(stripped, name);
    if (body !== null && !out.has(name)) out.set(name, body);
  }
  return out;
}

/**
 * A best-effort check that `fn` — and every function of the same file it calls, directly or not —
 * avoids some operations: no pattern of `forbidden` may match their code outside comments and strings.
 * A source check can be fooled, so it is worth few points, and a part that uses it first checks that
 * the function works (a stub must not pass it).
 */
export async function checkSourceAvoids(ex: Target, fn: string, forbidden: Record<string, RegExp>, hint: string): Promise<void> {
  const src = await ex.source();
  if (src === null) fail(`cannot read the source of ${ex.name}.ts`);
  const stripped = stripCommentsAndStrings(src);
  const functions = topLevelFunctions(stripped);
  if (!functions.has(fn)) fail(`cannot find 'function ${fn}' in ${ex.name}.ts (keep the stub's "export function ${fn}(...) { ... }")`);
  const reached = new Set<string>([fn]);
  const queue = [fn];
  while (queue.length) {
    const body = functions.get(queue.pop()!)!;
    for (const name of functions.keys()) {
      if (!reached.has(name) && new RegExp(`\\b${name.replace(/\$/g, "\\$")}\\b`).test(body)) {
        reached.add(name);
        queue.push(name);
      }
    }
  }
  const code = [...reached].map((n) => functions.get(n)!).join("\n");
  const found = Object.entries(forbidden).filter(([, re]) => re.test(code));
  if (found.length) {
    const others = [...reached].filter((n) => n !== fn);
    fail({
      headline: `${fn} uses ${found.map(([name]) => name).join(", ")}${others.length ? ` (in ${fn} or the helpers it calls: ${others.join(", ")})` : ""}`,
      hint,
    });
  }
}
