/**
 * The wire format between the grader (trusted side) and a student's module (the target).
 *
 * Every argument and every result crosses as plain JSON-able data, even when both sides live in the
 * same process: the student's code gets fresh copies (it cannot mutate the spec's inputs), the spec
 * gets fresh copies of what the student returned (it cannot be handed a Proxy or a getter that lies),
 * and the same bytes could go over a pipe to a sandboxed child process.
 *
 *   Tensor              { $tensor: { shape: number[], dtype: "float32"|"float64"|"int64"|"bool", data: WireNumber[] } }
 *   number              a JSON number, or { $num: "NaN" | "Infinity" | "-Infinity" | "-0" }
 *   string, boolean, null   as themselves;  undefined  { $undefined: true }
 *   array               a JSON array of wire values
 *   plain object        { $object: { key: wire, ... } }
 *   pooling function    { $pool: PoolSpec }  (only functions made by `makePool`; see below)
 *   a reference         { $ref: body }  (only where the caller gives `refs`: a traced tensor in a
 *                       recorded graph, ./trace/graph.ts)
 *
 * Anything else (class instances other than Tensor, functions, symbols, bigints, cycles, very deep
 * or very large values) is refused with a message that says what was found where.
 *
 * The codec does not import the library: each side passes its own copy (`CodecLibrary`), so a child
 * process decodes with the Tensor class it loaded, and instanceof keeps working on both sides.
 */

import type { Text } from "./i18n";

export type Wire = null | boolean | number | string | Wire[] | { [key: string]: Wire };

/** A number inside tensor data: JSON number, or "NaN" / "Infinity" / "-Infinity" / "-0". */
export type WireNumber = number | string;

export type DTypeName = "float32" | "float64" | "int64" | "bool";

type Pair = number | readonly [number, number];

/** A pooling function the grader can pass to a student's function (exercise max-vs-avg). */
export type PoolSpec =
  | { op: "identity" }
  | { op: "max"; kernelSize: Pair; stride?: Pair; padding?: Pair }
  | { op: "avg"; kernelSize: Pair; stride?: Pair; padding?: Pair; countIncludePad?: boolean }
  | { op: "lp"; normType: number; kernelSize: Pair; stride?: Pair };

/** What the codec needs from (one copy of) the d2l-pooling module. */
export interface CodecLibrary {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  Tensor: new (data: any, shape: readonly number[], dtype: any) => object;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  F: { maxPool2d: (...args: any[]) => any; avgPool2d: (...args: any[]) => any; lpPool2d: (...args: any[]) => any };
}

/** What cannot cross, and where: in both languages (`message` is the English). */
export class CodecError extends Error {
  readonly text: Text;
  constructor(text: Text) {
    super(text.en);
    this.name = "CodecError";
    this.text = text;
  }
}

/** `path: what` in both languages. */
const problem = (path: string, zh: string, en: string) => new CodecError({ zh: `${path}：${zh}`, en: `${path}: ${en}` });

/** Limits that keep a hostile or runaway value from exhausting the grader. */
export const LIMITS = Object.freeze({ depth: 32, numbers: 10_000_000, keys: 10_000 });

const DTYPES: readonly DTypeName[] = ["float32", "float64", "int64", "bool"];
const POOL_SPEC = Symbol.for("d2l-pooling.grader.pool-spec");

// ---------------------------------------------------------------------------------------------
// Pooling functions that can cross the wire

export type PoolFunction = ((X: unknown) => unknown) & { readonly [POOL_SPEC]?: PoolSpec };

/** A pooling function `X => F.xxxPool2d(X, ...)` tagged with its spec, so the codec can send it. */
export function makePool(spec: PoolSpec, lib: CodecLibrary): PoolFunction {
  const s = checkPoolSpec(spec);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = (X: any): unknown => {
    switch (s.op) {
      case "identity":
        return X.clone();
      case "max":
        return lib.F.maxPool2d(X, s.kernelSize, { stride: s.stride, padding: s.padding });
      case "avg":
        return lib.F.avgPool2d(X, s.kernelSize, { stride: s.stride, padding: s.padding, countIncludePad: s.countIncludePad });
      case "lp":
        return lib.F.lpPool2d(X, s.normType, s.kernelSize, { stride: s.stride });
    }
  };
  const fn = (X: unknown) => call(X);
  Object.defineProperty(fn, POOL_SPEC, { value: s });
  Object.defineProperty(fn, "name", { value: describePool(s) });
  return fn as PoolFunction;
}

export function poolSpecOf(value: unknown): PoolSpec | undefined {
  return typeof value === "function" ? (value as PoolFunction)[POOL_SPEC] : undefined;
}

/** `X => F.maxPool2d(X, 2, { stride: 1 })`: how feedback shows a pooling argument. */
export function describePool(spec: PoolSpec): string {
  const opts = (o: Record<string, unknown>) => {
    const entries = Object.entries(o).filter(([, v]) => v !== undefined);
    return entries.length ? `, { ${entries.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(", ")} }` : "";
  };
  switch (spec.op) {
    case "identity":
      return "X => X";
    case "max":
      return `X => F.maxPool2d(X, ${JSON.stringify(spec.kernelSize)}${opts({ stride: spec.stride, padding: spec.padding })})`;
    case "avg":
      return `X => F.avgPool2d(X, ${JSON.stringify(spec.kernelSize)}${opts({ stride: spec.stride, padding: spec.padding, countIncludePad: spec.countIncludePad })})`;
    case "lp":
      return `X => F.lpPool2d(X, ${spec.normType}, ${JSON.stringify(spec.kernelSize)}${opts({ stride: spec.stride })})`;
  }
}

function checkPoolSpec(spec: unknown): PoolSpec {
  const bad = (why: string) => new CodecError({ zh: `不是汇聚函数的描述（${why}）：${safeJson(spec)}`, en: `not a pooling function spec (${why}): ${safeJson(spec)}` });
  if (!isPlainObject(spec)) throw bad("not an object");
  const s = spec as Record<string, unknown>;
  const isPair = (v: unknown) =>
    (typeof v === "number" && Number.isInteger(v)) ||
    (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === "number" && Number.isInteger(x)));
  const optionalPair = (k: string) => s[k] === undefined || isPair(s[k]);
  const allowed: Record<string, string[]> = {
    identity: ["op"],
    max: ["op", "kernelSize", "stride", "padding"],
    avg: ["op", "kernelSize", "stride", "padding", "countIncludePad"],
    lp: ["op", "normType", "kernelSize", "stride"],
  };
  const op = s.op;
  if (typeof op !== "string" || !(op in allowed)) throw bad("unknown op");
  for (const k of Object.keys(s)) if (!allowed[op].includes(k)) throw bad(`unexpected key '${k}'`);
  if (op !== "identity" && !isPair(s.kernelSize)) throw bad("kernelSize");
  if (!optionalPair("stride") || !optionalPair("padding")) throw bad("stride/padding");
  if (op === "lp" && (typeof s.normType !== "number" || !Number.isFinite(s.normType))) throw bad("normType");
  if (s.countIncludePad !== undefined && typeof s.countIncludePad !== "boolean") throw bad("countIncludePad");
  // A frozen deep copy: nobody can change a spec after the fact.
  return deepFreeze(JSON.parse(JSON.stringify(s))) as PoolSpec;
}

// ---------------------------------------------------------------------------------------------
// Encoding

interface Budget {
  numbers: number;
}

/**
 * How a caller sends objects the codec does not know as references: `encode` asks `refOf` first for
 * every object (a body to send as `{ $ref: body }`, or undefined), `decode` gives every `$ref` body to
 * `resolve`. Without them, `$ref` is refused.
 */
export interface Refs {
  refOf?(value: object): Wire | undefined;
  resolve?(body: Wire, path: string): unknown;
}

/** `root` names the value in messages ("minPool2d returned[1]: a function cannot be passed"). */
export function encode(value: unknown, lib: CodecLibrary, root = "value", refs: Refs = {}): Wire {
  const seen = new Set<object>();
  return encodeValue(value, lib, root, 0, { numbers: 0 }, seen, refs);
}

function encodeValue(value: unknown, lib: CodecLibrary, path: string, depth: number, budget: Budget, seen: Set<object>, refs: Refs): Wire {
  if (depth > LIMITS.depth) throw problem(path, `嵌套超过 ${LIMITS.depth} 层`, `nested deeper than ${LIMITS.depth} levels`);
  switch (typeof value) {
    case "number":
      count(budget, 1, path);
      return encodeNumber(value);
    case "string":
      count(budget, Math.ceil(value.length / 8), path);
      return value;
    case "boolean":
      return value;
    case "undefined":
      return { $undefined: true };
    case "bigint":
      throw problem(path, `bigint（${value}n）不能传递；请用 number`, `a bigint (${value}n) cannot be passed; use a number`);
    case "symbol":
      throw problem(path, "symbol 不能传递", "a symbol cannot be passed");
    case "function": {
      const spec = poolSpecOf(value);
      if (spec) return { $pool: JSON.parse(JSON.stringify(spec)) as Wire };
      throw problem(path, "函数不能传入或返回（请返回一个值，例如张量或数）", "a function cannot be passed or returned (return a value, e.g. a Tensor or a number)");
    }
  }
  if (value === null) return null;
  const obj = value as object;
  const ref = refs.refOf?.(obj);
  if (ref !== undefined) return { $ref: ref };
  if (seen.has(obj)) throw problem(path, "包含它自己（循环引用）", "contains itself (a cycle)");
  seen.add(obj);
  try {
    if (isTensor(obj, lib)) return encodeTensor(obj as TensorLike, path, budget);
    if (Array.isArray(obj)) {
      count(budget, obj.length, path);
      const out: Wire[] = [];
      for (let i = 0; i < obj.length; i++) out.push(encodeValue(obj[i], lib, `${path}[${i}]`, depth + 1, budget, seen, refs));
      return out;
    }
    if (ArrayBuffer.isView(obj)) {
      throw problem(path, `类型化数组（${obj.constructor.name}）不能传递；请把它包成张量（torch.tensor(...)）`, `a typed array (${obj.constructor.name}) cannot be passed; wrap it in a Tensor (torch.tensor(...))`);
    }
    if (!isPlainObject(obj)) {
      const name = (obj as { constructor?: { name?: string } }).constructor?.name ?? "unknown";
      throw problem(path, `${name} 的实例不能传递；请用张量、数、字符串、布尔值、数组或普通对象`, `an instance of ${name} cannot be passed; use a Tensor, number, string, boolean, array or plain object`);
    }
    const keys = Object.keys(obj);
    if (keys.length > LIMITS.keys) throw problem(path, `键多于 ${LIMITS.keys} 个`, `more than ${LIMITS.keys} keys`);
    const fields: { [key: string]: Wire } = {};
    for (const key of keys) {
      const desc = Object.getOwnPropertyDescriptor(obj, key);
      if (!desc || !("value" in desc)) throw problem(`${path}.${key}`, "getter 不能传递；请用普通的值", "a getter cannot be passed; use a plain value");
      defineField(fields, key, encodeValue(desc.value, lib, `${path}.${key}`, depth + 1, budget, seen, refs));
    }
    return { $object: fields };
  } finally {
    seen.delete(obj);
  }
}

interface TensorLike {
  shape: readonly number[];
  dtype: string;
  data: ArrayLike<number>;
}

function isTensor(obj: object, lib: CodecLibrary): boolean {
  if (obj instanceof lib.Tensor) return true;
  // A Tensor from another copy of the module (e.g. the student's own build): same fields.
  const t = obj as Partial<TensorLike> & { constructor?: { name?: string } };
  return t.constructor?.name === "Tensor" && Array.isArray(t.shape) && typeof t.dtype === "string" && ArrayBuffer.isView(t.data);
}

function encodeTensor(t: TensorLike, path: string, budget: Budget): Wire {
  const shape = [...t.shape];
  const dtype = t.dtype;
  const data = t.data;
  if (!DTYPES.includes(dtype as DTypeName)) throw problem(path, `张量的 dtype '${dtype}' 未知`, `a Tensor with unknown dtype '${dtype}'`);
  checkShape(shape, data.length, path);
  count(budget, data.length, path);
  const out: WireNumber[] = new Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    out[i] = Number.isFinite(v) && !Object.is(v, -0) ? v : nonFiniteName(v);
  }
  return { $tensor: { shape, dtype, data: out } };
}

function encodeNumber(v: number): Wire {
  return Number.isFinite(v) && !Object.is(v, -0) ? v : { $num: nonFiniteName(v) };
}

function nonFiniteName(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (Object.is(v, -0)) return "-0";
  return v > 0 ? "Infinity" : "-Infinity";
}

function count(budget: Budget, n: number, path: string): void {
  budget.numbers += n;
  if (budget.numbers > LIMITS.numbers) throw problem(path, `值太大（多于 ${LIMITS.numbers} 个数）`, `the value is too large (more than ${LIMITS.numbers} numbers)`);
}

// ---------------------------------------------------------------------------------------------
// Decoding

export function decode(wire: unknown, lib: CodecLibrary, refs: Refs = {}): unknown {
  return decodeValue(wire, lib, "value", 0, { numbers: 0 }, refs);
}

function decodeValue(w: unknown, lib: CodecLibrary, path: string, depth: number, budget: Budget, refs: Refs): unknown {
  if (depth > LIMITS.depth + 1) throw problem(path, `嵌套超过 ${LIMITS.depth} 层`, `nested deeper than ${LIMITS.depth} levels`);
  if (w === null || typeof w === "boolean" || typeof w === "string") return w;
  if (typeof w === "number") {
    if (!Number.isFinite(w)) throw problem(path, "传输中出现了未编码的非有限数", "a raw non-finite number on the wire");
    return w;
  }
  if (Array.isArray(w)) {
    count(budget, w.length, path);
    return w.map((x, i) => decodeValue(x, lib, `${path}[${i}]`, depth + 1, budget, refs));
  }
  if (!isPlainObject(w)) throw problem(path, "不是可传输的值", "not a wire value");
  const o = w as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length !== 1) throw problem(path, `传输的对象应恰有一个 $ 键，实际是 ${safeJson(keys)}`, `a wire object must have exactly one $-key, got ${safeJson(keys)}`);
  const [tag] = keys;
  const body = o[tag];
  switch (tag) {
    case "$num":
      return decodeNonFinite(body, path);
    case "$undefined":
      return undefined;
    case "$tensor":
      return decodeTensor(body, lib, path, budget);
    case "$object": {
      if (!isPlainObject(body)) throw problem(path, "$object 需要一个对象", "$object needs an object");
      const fields = Object.keys(body as object);
      if (fields.length > LIMITS.keys) throw problem(path, `键多于 ${LIMITS.keys} 个`, `more than ${LIMITS.keys} keys`);
      const out: Record<string, unknown> = {};
      for (const k of fields) defineField(out, k, decodeValue((body as Record<string, unknown>)[k], lib, `${path}.${k}`, depth + 1, budget, refs));
      return out;
    }
    case "$pool":
      return makePool(body as PoolSpec, lib);
    case "$ref":
      if (!refs.resolve) throw problem(path, "此处不应有引用", "a reference where none is expected");
      return refs.resolve(body as Wire, path);
    default:
      throw problem(path, `未知的标记 '${tag}'`, `unknown wire tag '${tag}'`);
  }
}

function decodeNonFinite(name: unknown, path: string): number {
  switch (name) {
    case "NaN":
      return NaN;
    case "Infinity":
      return Infinity;
    case "-Infinity":
      return -Infinity;
    case "-0":
      return -0;
    default:
      throw problem(path, `未知的数 ${safeJson(name)}`, `unknown number ${safeJson(name)}`);
  }
}

function decodeTensor(body: unknown, lib: CodecLibrary, path: string, budget: Budget): object {
  if (!isPlainObject(body)) throw problem(path, "$tensor 需要一个对象", "$tensor needs an object");
  const { shape, dtype, data } = body as { shape: unknown; dtype: unknown; data: unknown };
  if (!Array.isArray(shape) || !Array.isArray(data) || typeof dtype !== "string" || !DTYPES.includes(dtype as DTypeName)) {
    throw problem(path, "格式错误的张量", "a malformed tensor");
  }
  checkShape(shape, data.length, path);
  count(budget, data.length, path);
  const storage = dtype === "float32" ? new Float32Array(data.length) : dtype === "bool" ? new Uint8Array(data.length) : new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    const x = typeof v === "number" && Number.isFinite(v) ? v : decodeNonFinite(v, `${path}.data[${i}]`);
    if (dtype === "bool" && x !== 0 && x !== 1) throw problem(path, `bool 张量里有 ${x}`, `a bool tensor holds ${x}`);
    if (dtype === "int64" && !Number.isInteger(x)) throw problem(path, `int64 张量里有 ${x}`, `an int64 tensor holds ${x}`);
    storage[i] = x;
  }
  return new lib.Tensor(storage, shape as number[], dtype);
}

function checkShape(shape: unknown[], length: number, path: string): void {
  if (shape.length > 16 || !shape.every((d) => typeof d === "number" && Number.isInteger(d) && d >= 0)) {
    throw problem(path, `张量的形状无效：${safeJson(shape)}`, `a tensor with an invalid shape ${safeJson(shape)}`);
  }
  const numel = (shape as number[]).reduce((p, d) => p * d, 1);
  if (numel !== length) throw problem(path, `形状为 ${safeJson(shape)} 的张量却有 ${length} 个元素`, `a tensor of shape ${safeJson(shape)} with ${length} elements`);
}

// ---------------------------------------------------------------------------------------------

function isPlainObject(v: unknown): boolean {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Sets a field even when it is called "__proto__" (no prototype games). */
function defineField(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === "object") {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

function safeJson(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 200 ? `${s.slice(0, 200)}…` : s;
  } catch {
    return String(v);
  }
}
