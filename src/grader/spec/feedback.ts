/**
 * Feedback a student can learn from: the call, its inputs, the expected and the actual value printed
 * as PyTorch prints them, where they differ, and a hint — never a stack trace. In both languages
 * (../i18n.ts): values, calls and code read the same in each; the words around them do not.
 *
 * A failed check throws a `GradeFailure`. Its FIRST LINE is the summary the grader's table shows;
 * the rest is the detail printed under the table and stored in results.json.
 */
import { Tensor } from "d2l-pooling";
import { poolSpecOf, describePool } from "../codec";
import { inLang, join, mapText, same, text, type Text } from "../i18n";
import type { PartFailure } from "../records";

/**
 * What a spec says — a headline, a hint, a note, a label: always both languages. A plain string does
 * not compile here, so a message in one language only cannot exist; code, a call or a value that
 * reads the same in both is said so explicitly with `same(...)` (../i18n.ts).
 */
export type Words = Text;

export const words = (w: Words): Text => w;

export class GradeFailure extends Error {
  /** A timeout, a crash or running out of memory: a property test reports it without shrinking. */
  stopShrinking = false;
  /** What stopped the part (see PartFailure in ../records.ts): a failed check unless set. */
  origin: PartFailure["cause"] = "check";
  /** The stub's "not implemented yet" or a missing written answer: nothing started yet. */
  notStarted = false;
  /** The submission's time for all its code is used up. */
  budgetUsedUp = false;
  private made: Text | null;

  /**
   * The feedback may be given as a function: it is then built only when read. A property test that
   * shrinks a failure throws many GradeFailures and reports one, and printing tensors is not free.
   */
  constructor(private readonly make: Text | (() => Text)) {
    super("");
    this.name = "GradeFailure";
    this.made = typeof make === "function" ? null : make;
    // `message` (what vitest prints in the project's own runs) is the English; no stack: it says
    // nothing to a student.
    Object.defineProperty(this, "message", { get: () => this.text.en, enumerable: false, configurable: true });
    Object.defineProperty(this, "stack", { get: () => `${this.name}: ${this.text.en}`, set: () => undefined, enumerable: false, configurable: true });
  }

  /** The feedback in both languages. */
  get text(): Text {
    return (this.made ??= (this.make as () => Text)());
  }

  /** Adds lines under the feedback (a note on how to reproduce a case). */
  addNote(note: Text): void {
    this.made = join([this.text, "\n", note]);
  }
}

export interface Tolerance {
  rtol: number;
  atol: number;
}

export const EXACT: Tolerance = { rtol: 0, atol: 0 };
/** float32 results computed in a different order (conv vs pooling sums). */
export const FLOAT32: Tolerance = { rtol: 1e-5, atol: 1e-6 };

/**
 * For sums (means) of `cells` values of X computed in a different order or precision: the rounding
 * error is bounded by about cells · eps · max|X|, however much the terms cancel.
 */
export function sumTol(X: Tensor, cells: number): Tolerance {
  const eps = X.dtype === "float64" ? 2 ** -52 : 2 ** -23;
  let big = 1;
  for (let i = 0; i < X.data.length; i++) if (Number.isFinite(X.data[i])) big = Math.max(big, Math.abs(X.data[i]));
  return { rtol: 4 * eps, atol: 4 * cells * eps * big };
}

// ---------------------------------------------------------------------------------------------
// Showing values

const INDENT = "    ";

export function indent(text: string, prefix = INDENT): string {
  return text
    .split("\n")
    .map((l) => (l.trim() ? prefix + l : ""))
    .join("\n");
}

export function isTensor(v: unknown): v is Tensor {
  return v instanceof Tensor;
}

/** A JS number as a short literal: 2.5, -0, NaN, Infinity. */
export function showNumber(v: number): string {
  if (Object.is(v, -0)) return "-0";
  if (!Number.isFinite(v)) return String(v);
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(8)));
}

/** One-line form of an argument (tensors by name: the full tensor is printed below the call). */
export function showInline(v: unknown, name?: string): string {
  if (isTensor(v)) return name ?? "X";
  const spec = poolSpecOf(v);
  if (spec) return name ?? "pool";
  if (typeof v === "number") return showNumber(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (v === undefined) return "undefined";
  if (Array.isArray(v)) return `[${v.map((x) => showInline(x)).join(", ")}]`;
  if (v && typeof v === "object") {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    return entries.length ? `{ ${entries.map(([k, x]) => `${k}: ${showInline(x)}`).join(", ")} }` : "{}";
  }
  return String(v);
}

/** The multi-line form: tensors as PyTorch's repr, everything else one line. */
export function showValue(v: unknown): string {
  if (isTensor(v)) return String(v);
  const spec = poolSpecOf(v);
  if (spec) return describePool(spec);
  if (Array.isArray(v) && v.some(isTensor)) return `[\n${v.map((x) => indent(showValue(x), "  ")).join(",\n")}\n]`;
  if (v && typeof v === "object" && !Array.isArray(v) && Object.values(v).some(isTensor)) {
    return `{\n${Object.entries(v)
      .map(([k, x]) => `  ${k}: ${showValue(x).replace(/\n/g, "\n  ")}`)
      .join(",\n")}\n}`;
  }
  return showInline(v);
}

/** Display names for the arguments of a call: tensors X, Y, Z... unless named; pools "pool". */
export function argNames(args: readonly unknown[], names?: readonly (string | undefined)[]): (string | undefined)[] {
  const free = ["X", "Y", "Z", "U", "V"];
  let t = 0;
  return args.map((a, i) => {
    if (names?.[i]) return names[i];
    if (isTensor(a)) return free[t++] ?? `T${t}`;
    if (poolSpecOf(a)) return "pool";
    return undefined;
  });
}

/** `avgPoolAsConv(X, [2, 2], { stride: 1 })` */
export function showCall(fn: string, args: readonly unknown[], names?: readonly (string | undefined)[]): string {
  const n = argNames(args, names);
  return `${fn}(${args.map((a, i) => showInline(a, n[i])).join(", ")})`;
}

/** `  label = value` on one line, or the label and the value indented under it (labels may be words). */
export function block(label: Words, value: unknown): Text {
  const shown = typeof value === "string" ? value : showValue(value);
  return mapText(words(label), (l) => (shown.includes("\n") ? `  ${l} =\n${indent(shown)}` : `  ${l} = ${shown}`));
}

/** The inputs of a call that need more than one line (tensors, pooling functions), one block each. */
export function showInputs(args: readonly unknown[], names?: readonly (string | undefined)[]): Text {
  const n = argNames(args, names);
  const blocks: Text[] = [];
  args.forEach((a, i) => {
    if (isTensor(a) || poolSpecOf(a)) blocks.push(block(same(n[i] ?? "arg"), a));
  });
  return join(blocks, "\n");
}

// ---------------------------------------------------------------------------------------------
// Comparing values

export interface Mismatch {
  /** One line: what is wrong, e.g. "wrong values: 3 of 4 differ, first at [0, 0, 1, 0]: expected 7, got 6". */
  summary: Text;
}

function close(a: number, e: number, tol: Tolerance): boolean {
  if (Number.isNaN(e) || Number.isNaN(a)) return Number.isNaN(e) && Number.isNaN(a);
  if (!Number.isFinite(e) || !Number.isFinite(a)) return a === e;
  return Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
}

function multiIndex(flat: number, shape: readonly number[]): number[] {
  const idx: number[] = new Array(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return idx;
}

/** What a value is, in a few words: "a Tensor of shape [2, 2]", "the number 3". */
export function typeName(v: unknown): Text {
  if (isTensor(v)) return text(`形状为 [${v.shape.join(", ")}] 的张量`, `a Tensor of shape [${v.shape.join(", ")}]`);
  if (v === null) return same("null");
  if (Array.isArray(v)) return text(`长度为 ${v.length} 的数组`, `an array of length ${v.length}`);
  if (typeof v === "number") return text(`数 ${showNumber(v)}`, `the number ${showNumber(v)}`);
  if (typeof v === "string") {
    const shown = JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v);
    return text(`字符串 ${shown}`, `the string ${shown}`);
  }
  return typeof v === "object" ? text("一个对象", "an object") : same(`${typeof v} ${String(v)}`);
}

/** null when `actual` matches `expected` (tensors: same shape and dtype, values within `tol`, NaN where NaN). */
export function compare(expected: unknown, actual: unknown, tol: Tolerance, where = ""): Mismatch | null {
  const at = where ? text(`（位置 ${where}）`, ` at ${where}`) : same("");
  const say = (zh: string, en: string, ...rest: (Text | string)[]) => ({ summary: join([text(zh, en), ...rest]) });
  if (isTensor(expected)) {
    if (!isTensor(actual)) return say("应返回张量", "expected a Tensor", at, text("，实际是 ", ", got "), typeName(actual));
    if (expected.shape.length !== actual.shape.length || expected.shape.some((d, i) => d !== actual.shape[i])) {
      const e = `[${expected.shape.join(", ")}]`;
      const a = `[${actual.shape.join(", ")}]`;
      return say("形状不对", "wrong shape", at, text(`：应为 ${e}，实际是 ${a}`, `: expected ${e}, got ${a}`));
    }
    if (expected.dtype !== actual.dtype) return say("dtype 不对", "wrong dtype", at, text(`：应为 ${expected.dtype}，实际是 ${actual.dtype}`, `: expected ${expected.dtype}, got ${actual.dtype}`));
    let bad = 0;
    let first = -1;
    for (let i = 0; i < expected.data.length; i++) {
      if (!close(actual.data[i], expected.data[i], tol)) {
        bad++;
        if (first < 0) first = i;
      }
    }
    if (bad === 0) return null;
    const idx = `[${multiIndex(first, expected.shape).join(", ")}]`;
    const [e, a] = [showNumber(expected.data[first]), showNumber(actual.data[first])];
    const n = expected.data.length;
    return say("数值不对", "wrong values", at, text(`：${n} 个中有 ${bad} 个不同，第一个在 ${idx}：应为 ${e}，实际是 ${a}`, `: ${bad} of ${n} differ, first at ${idx}: expected ${e}, got ${a}`));
  }
  if (typeof expected === "number") {
    if (typeof actual !== "number") return say("应返回一个数", "expected a number", at, text("，实际是 ", ", got "), typeName(actual));
    const [e, a] = [showNumber(expected), showNumber(actual)];
    return close(actual, expected, tol) ? null : say("数不对", "wrong number", at, text(`：应为 ${e}，实际是 ${a}`, `: expected ${e}, got ${a}`));
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return say(`应返回长度为 ${expected.length} 的数组`, `expected an array of length ${expected.length}`, at, text("，实际是 ", ", got "), typeName(actual));
    if (actual.length !== expected.length) return say(`数组长度应为 ${expected.length}`, `expected an array of length ${expected.length}`, at, text(`，实际长度是 ${actual.length}`, `, got length ${actual.length}`));
    for (let i = 0; i < expected.length; i++) {
      const m = compare(expected[i], actual[i], tol, `${where}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (expected !== null && typeof expected === "object") {
    const keys = Object.keys(expected).join(", ");
    if (actual === null || typeof actual !== "object" || Array.isArray(actual) || isTensor(actual)) {
      return say(`应返回带有键 ${keys} 的对象`, `expected an object with keys ${keys}`, at, text("，实际是 ", ", got "), typeName(actual));
    }
    for (const k of Object.keys(expected)) {
      if (!(k in actual)) return say(`缺少键 '${k}'`, `missing key '${k}'`, at);
      const m = compare((expected as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k], tol, where ? `${where}.${k}` : k);
      if (m) return m;
    }
    return null;
  }
  return Object.is(expected, actual) ? null : say(`应为 ${showValue(expected)}`, `expected ${showValue(expected)}`, at, text("，实际是 ", ", got "), typeName(actual));
}

// ---------------------------------------------------------------------------------------------
// Building messages

export interface Report {
  /** First line: the summary the table shows. */
  headline: Words;
  call?: { fn: string; args: readonly unknown[]; names?: readonly (string | undefined)[] };
  expected?: unknown;
  actual?: unknown;
  /** Extra blocks, already indented (use `block(label, value)`). */
  notes?: Words[];
  hint?: Words;
}

export function message(r: Report): Text {
  const lines: Text[] = [words(r.headline)];
  if (r.call) {
    const inputs = showInputs(r.call.args, r.call.names);
    if (inputs.en) lines.push(inputs);
  }
  if (r.expected !== undefined) lines.push(block(text("应为", "expected"), r.expected));
  if (r.actual !== undefined) lines.push(block(text("实际", "got"), r.actual));
  for (const n of r.notes ?? []) lines.push(words(n));
  if (r.hint) lines.push(mapText(join([text("  提示：", "  hint: "), words(r.hint)]), (t, lang) => t.replace(/\n/g, lang === "zh" ? "\n        " : "\n        ")));
  return join(lines, "\n");
}

export function fail(r: Report | Words, how: Partial<Pick<GradeFailure, "origin" | "notStarted" | "budgetUsedUp" | "stopShrinking">> = {}): never {
  const simple = "zh" in r;
  throw Object.assign(new GradeFailure(simple ? words(r as Words) : () => message(r as Report)), how);
}
