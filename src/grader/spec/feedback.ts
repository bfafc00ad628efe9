/**
 * Feedback a student can learn from: the call, its inputs, the expected and the actual value printed
 * as PyTorch prints them, where they differ, and a hint — never a stack trace.
 *
 * A failed check throws a `GradeFailure`. Its FIRST LINE is the summary the grader's table shows;
 * the rest is the detail printed under the table and stored in results.json.
 */
import { Tensor } from "d2l-pooling";
import { poolSpecOf, describePool } from "../codec";

export class GradeFailure extends Error {
  /** A timeout, a crash or running out of memory: a property test reports it without shrinking. */
  stopShrinking = false;
  /**
   * The message may be given as a function: it is then built only when read. A property test that
   * shrinks a failure throws many GradeFailures and reports one, and printing tensors is not free.
   */
  constructor(message: string | (() => string)) {
    super(typeof message === "string" ? message : "");
    this.name = "GradeFailure";
    let text: string | null = typeof message === "string" ? message : null;
    const get = () => (text ??= (message as () => string)());
    Object.defineProperty(this, "message", { get, set: (v: string) => (text = v), enumerable: false, configurable: true });
    // No stack: vitest prints it in the project's own runs, and it says nothing to a student.
    Object.defineProperty(this, "stack", { get: () => `${this.name}: ${get()}`, set: () => undefined, enumerable: false, configurable: true });
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

/** `  label = value` on one line, or the label and the value indented under it. */
export function block(label: string, value: unknown): string {
  const text = typeof value === "string" ? value : showValue(value);
  return text.includes("\n") ? `  ${label} =\n${indent(text)}` : `  ${label} = ${text}`;
}

/** The inputs of a call that need more than one line (tensors, pooling functions), one block each. */
export function showInputs(args: readonly unknown[], names?: readonly (string | undefined)[]): string {
  const n = argNames(args, names);
  const blocks: string[] = [];
  args.forEach((a, i) => {
    if (isTensor(a) || poolSpecOf(a)) blocks.push(block(n[i] ?? "arg", a));
  });
  return blocks.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Comparing values

export interface Mismatch {
  /** One line: what is wrong, e.g. "wrong values: 3 of 4 differ, first at [0, 0, 1, 0]: expected 7, got 6". */
  summary: string;
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

function typeName(v: unknown): string {
  if (isTensor(v)) return `a Tensor of shape [${v.shape.join(", ")}]`;
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === "number") return `the number ${showNumber(v)}`;
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v)}`;
  return typeof v === "object" ? "an object" : `${typeof v} ${String(v)}`;
}

/** null when `actual` matches `expected` (tensors: same shape and dtype, values within `tol`, NaN where NaN). */
export function compare(expected: unknown, actual: unknown, tol: Tolerance, where = ""): Mismatch | null {
  const at = where ? ` at ${where}` : "";
  if (isTensor(expected)) {
    if (!isTensor(actual)) return { summary: `expected a Tensor${at}, got ${typeName(actual)}` };
    if (expected.shape.length !== actual.shape.length || expected.shape.some((d, i) => d !== actual.shape[i])) {
      return { summary: `wrong shape${at}: expected [${expected.shape.join(", ")}], got [${actual.shape.join(", ")}]` };
    }
    if (expected.dtype !== actual.dtype) return { summary: `wrong dtype${at}: expected ${expected.dtype}, got ${actual.dtype}` };
    let bad = 0;
    let first = -1;
    for (let i = 0; i < expected.data.length; i++) {
      if (!close(actual.data[i], expected.data[i], tol)) {
        bad++;
        if (first < 0) first = i;
      }
    }
    if (bad === 0) return null;
    const idx = multiIndex(first, expected.shape);
    return {
      summary: `wrong values${at}: ${bad} of ${expected.data.length} differ, first at [${idx.join(", ")}]: expected ${showNumber(expected.data[first])}, got ${showNumber(actual.data[first])}`,
    };
  }
  if (typeof expected === "number") {
    if (typeof actual !== "number") return { summary: `expected a number${at}, got ${typeName(actual)}` };
    return close(actual, expected, tol) ? null : { summary: `wrong number${at}: expected ${showNumber(expected)}, got ${showNumber(actual)}` };
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return { summary: `expected an array of length ${expected.length}${at}, got ${typeName(actual)}` };
    if (actual.length !== expected.length) return { summary: `expected an array of length ${expected.length}${at}, got length ${actual.length}` };
    for (let i = 0; i < expected.length; i++) {
      const m = compare(expected[i], actual[i], tol, `${where}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual) || isTensor(actual)) {
      return { summary: `expected an object with keys ${Object.keys(expected).join(", ")}${at}, got ${typeName(actual)}` };
    }
    for (const k of Object.keys(expected)) {
      if (!(k in actual)) return { summary: `missing key '${k}'${at}` };
      const m = compare((expected as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k], tol, where ? `${where}.${k}` : k);
      if (m) return m;
    }
    return null;
  }
  return Object.is(expected, actual) ? null : { summary: `expected ${showValue(expected)}${at}, got ${typeName(actual)}` };
}

// ---------------------------------------------------------------------------------------------
// Building messages

export interface Report {
  /** First line: the summary the table shows. */
  headline: string;
  call?: { fn: string; args: readonly unknown[]; names?: readonly (string | undefined)[] };
  expected?: unknown;
  actual?: unknown;
  /** Extra blocks, already indented (use `block(label, value)`). */
  notes?: string[];
  hint?: string;
}

export function message(r: Report): string {
  const lines = [r.headline];
  if (r.call) {
    const inputs = showInputs(r.call.args, r.call.names);
    if (inputs) lines.push(inputs);
  }
  if (r.expected !== undefined) lines.push(block("expected", r.expected));
  if (r.actual !== undefined) lines.push(block("got", r.actual));
  for (const n of r.notes ?? []) lines.push(n);
  if (r.hint) lines.push(`  hint: ${r.hint.replace(/\n/g, "\n        ")}`);
  return lines.join("\n");
}

export function fail(r: Report | string): never {
  throw new GradeFailure(typeof r === "string" ? r : () => message(r));
}
