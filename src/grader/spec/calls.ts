/**
 * Calling the student's code from a spec: a call, a check against an expected value (and, in an
 * instructor's grading, against a fresh case of the same kind), a written answer, a traced exercise's
 * recorded operations. Every failure becomes a GradeFailure with feedback in both languages.
 */
import * as path from "node:path";
import * as lib from "d2l-pooling";
import { decode, encode, type Wire } from "../codec";
import { join, same, text, type Text } from "../i18n";
import { MAX_ANSWER_CHARS, capText } from "../records";
import { TargetError, type Target } from "../target";
import { projectRoot } from "../paths";
import type { Graph } from "../trace/graph";
import { opsOutside } from "../trace/rules";
import { currentPart, seedFor } from "./context";
import { argNames, compare, fail, FLOAT32, GradeFailure, showCall, words, type Tolerance, type Words } from "./feedback";
import { freshCase, rngFrom } from "./fresh";
import { OracleMiss } from "./oracle";

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
export type Hint = Words | ((outcome: Outcome) => Words | undefined);

function hintFor(hint: Hint | undefined, outcome: Outcome): Words | undefined {
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

/** The failure a target reported, as the part's failure (what it was, where, and a hint when it helps). */
function targetFailure(e: TargetError, c?: CallSpec): never {
  const f = e.failure;
  const at = f.location ? ` (${f.location})` : "";
  const how = { origin: f.kind, budgetUsedUp: f.budgetUsedUp === true };
  const call = c ? showCall(c.fn, c.args, c.names) : "";
  if (c && f.notImplemented) fail(text(`${c.fn}：还没有实现${at}`, `${c.fn}: not implemented yet${at}`), { ...how, notStarted: true });
  if (c && f.kind === "threw") {
    fail({ headline: join([call, text(" 抛出了 ", " threw "), f.message, at]), call: c, expected: c.expected, hint: hintFor(c.hint, { args: c.args, expected: c.expected, threw: f.message.en }) }, how);
  }
  if (c && f.kind === "mutated") {
    const name = f.argument !== undefined ? (argNames(c.args, c.names)[f.argument] ?? `#${f.argument + 1}`) : "?";
    fail({ headline: join([call, text(` 修改了它的输入 ${name}：`, ` changed its input ${name}: `), f.message]), call: c }, how);
  }
  // Each further call would cost as much again: report this case, do not shrink it.
  const stop = f.kind === "timeout" || f.kind === "memory" || f.kind === "crashed";
  if (c && (stop || f.kind === "forbidden")) fail(join([call, ": ", f.message, at]), { ...how, stopShrinking: stop });
  fail({ headline: join([f.message, at]), hint: c && f.kind === "codec" ? hintFor(c.hint, { args: c.args, expected: c.expected }) : undefined }, how);
}

/** Calls the student's function; any failure (not implemented, threw, missing) becomes a GradeFailure. */
export async function callStudent(ex: Target, c: CallSpec): Promise<unknown> {
  try {
    return await ex.call(c.fn, ...c.args);
  } catch (e) {
    if (e instanceof TargetError) targetFailure(e, c);
    throw e;
  }
}

/** Reads an exported constant (written answers, yes/no answers). */
export async function getStudent(ex: Target, name: string): Promise<unknown> {
  try {
    return await ex.get(name);
  } catch (e) {
    if (e instanceof TargetError) targetFailure(e);
    throw e;
  }
}

export interface CheckSpec extends Omit<CallSpec, "expected"> {
  /** The expected value, or the reference function (called on copies of `args`). */
  expected: unknown;
  tol?: Tolerance;
}

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

/** Calls the student's function and compares with the expected value; returns what the student returned. */
export async function checkCall(ex: Target, c: CheckSpec): Promise<unknown> {
  const part = currentPart();
  let expected: unknown;
  try {
    expected = typeof c.expected === "function" ? referenceResult(c.expected as (...a: unknown[]) => unknown, c.args) : c.expected;
  } catch (e) {
    if (e instanceof OracleMiss && !part?.inProperty) fail(same(e.message), { origin: "grader" });
    throw e;
  }
  const actual = await callStudent(ex, { ...c, expected });
  const m = compare(expected, actual, c.tol ?? FLOAT32);
  if (m) fail({ headline: join([showCall(c.fn, c.args, c.names), ": ", m.summary]), call: c, expected, actual, hint: hintFor(c.hint, { args: c.args, expected, actual }) });
  if (part && part.gradingSeed !== null && !part.inProperty && !part.fresh.checked) await checkFresh(ex, c, part.gradingSeed);
  return actual;
}

/** The reference solution of an exercise (the instructor's project has solutions/). */
const references = new Map<string, Promise<Record<string, unknown>>>();
function referenceOf(exercise: string): Promise<Record<string, unknown>> {
  let r = references.get(exercise);
  if (!r) references.set(exercise, (r = import(path.join(projectRoot(), "solutions", `${exercise}.ts`)) as Promise<Record<string, unknown>>));
  return r;
}

/** In an instructor's grading: the same check on a fresh case of the same kind (./fresh.ts); one per part. */
async function checkFresh(ex: Target, c: CheckSpec, seed: number): Promise<void> {
  const part = currentPart()!;
  const fresh = freshCase(ex.name, c.fn, c.args, rngFrom(seedFor(`${seed}/${part.exercise}/${part.part}/${part.fresh.drawn++}`)));
  if (!fresh) return;
  const reference = typeof c.expected === "function" ? (c.expected as (...a: unknown[]) => unknown) : ((await referenceOf(ex.name))[c.fn] as ((...a: unknown[]) => unknown) | undefined);
  if (typeof reference !== "function") return;
  let expected: unknown;
  try {
    expected = referenceResult(reference, fresh.args);
  } catch {
    return; // not a valid case for this function: no fresh check
  }
  part.fresh.checked = true;
  const tol = c.tol ?? FLOAT32;
  const fc = { ...c, args: fresh.args, expected, tol: { rtol: tol.rtol, atol: tol.atol * fresh.scale } };
  const why = text(
    `（与上面同类的新用例，为这次评分抽取，种子 ${seed}：\`--seed ${seed}\` 会再抽到它）`,
    `(a fresh case like the one above, drawn for this grading with seed ${seed}: \`--seed ${seed}\` draws it again)`,
  );
  let actual: unknown;
  try {
    actual = await callStudent(ex, fc);
  } catch (e) {
    if (e instanceof GradeFailure) e.addNote(join(["  ", why]));
    throw e;
  }
  const m = compare(expected, actual, fc.tol);
  if (m) fail({ headline: join([showCall(c.fn, fresh.args, c.names), ": ", m.summary]), call: fc, expected, actual, hint: hintFor(c.hint, { args: fresh.args, expected, actual }), notes: [join(["  ", why])] });
}

/** A 0-point part that records a written answer for the instructor (never graded by text match). */
export async function recordAnswer(ex: Target, name: string): Promise<void> {
  const answer = await getStudent(ex, name);
  if (typeof answer !== "string" || answer.trim().length < 10) {
    fail(
      text(
        `${name}：还没有书面回答——在 ${ex.name}.ts 里写几句话（中文或英文都可以）；老师会读它，它不会被自动评分`,
        `${name}: no written answer yet — write a few sentences (Chinese or English) in ${ex.name}.ts; your instructor reads it, it is not graded automatically`,
      ),
      { notStarted: true },
    );
  }
  currentPart()?.record.answers.push(capText(answer.trim(), MAX_ANSWER_CHARS));
}

/**
 * A traced exercise (../trace/): the operations `fn` applied to its inputs for `args` must lie within
 * `allowed` (and, with the options, multiply by constants only, or convolve with fixed kernels) — a
 * stricter statement of the task than what the exercise lets the code call at all. It is checked on
 * the graph the call recorded, so helpers, aliases and other files change nothing. A part that uses
 * it first checks that the function works (a stub must not pass it).
 */
export async function checkOps(ex: Target, fn: string, args: readonly unknown[], allowed: readonly string[], options: { mulByConstantOnly?: boolean; constantWeights?: boolean }, hint: Words): Promise<void> {
  let graph: Graph;
  try {
    graph = await ex.graph(fn, ...args);
  } catch (e) {
    if (e instanceof TargetError) targetFailure(e);
    throw e;
  }
  const extra = opsOutside(graph, allowed, options);
  if (extra.length) fail({ headline: join([text(`${fn} 用到了 `, `${fn} uses `), join(extra, text("、", ", "))]), hint });
}

export type { Text };
export { words };
