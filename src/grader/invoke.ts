/**
 * Calling into a graded module: the ONE place that turns a request (call a function, read a
 * constant) on a module's exports into a Reply, on whichever side of whatever boundary — inside the
 * sandbox, in the realm of the exercise (./sandbox/in-realm.ts), and in the in-process target
 * (./target.ts) alike. So the two say the same things in the same words, and every failure leaves
 * here as a structured `Failure`.
 *
 * It imports nothing at run time: the caller passes its own copies of the library and the codec (a
 * sandbox decodes arguments with the Tensor class the submission sees). The built-ins it relies on
 * after submission code has run are taken when this module loads, before any submission code: a
 * submission that patches `Object`, `JSON` or typed arrays changes only what its own functions
 * return, not this module's checks.
 */
import type { CodecLibrary, Refs, Wire } from "./codec";
import { join, same, text, type Text } from "./i18n";
import type { TensorMeta } from "./trace/graph";
import { InputChanged, type Tracer } from "./trace/record";

export type FailureKind =
  | "missing-file"
  | "load"
  | "missing-export"
  | "threw"
  | "codec"
  | "timeout"
  | "memory"
  | "crashed"
  /** A function the exercise may not use (the manifest's `library.forbid`). */
  | "forbidden"
  /** The function changed a tensor it was given. */
  | "mutated";

/** Why a request did not give a value: data, never prose to be parsed again. */
export interface Failure {
  kind: FailureKind;
  /** In both languages; what the student's code threw is the same in both. */
  message: Text;
  /** `exercises/x.ts:12:9`: where in the student's file the error was thrown, when known. */
  location?: string;
  /** The student's function threw the stub's "not implemented yet" error. */
  notImplemented?: boolean;
  /** Not run, or stopped, because the submission's time for all its code is used up. */
  budgetUsedUp?: boolean;
  /** Which argument (its index) a "mutated" failure is about. */
  argument?: number;
}

export type Reply = { ok: true; value: Wire } | { ok: false; failure: Failure };

/** What the invocation needs of the codec module (../codec.ts), as loaded on the caller's side. */
export interface CodecApi {
  encode(value: unknown, lib: CodecLibrary, root?: string): Wire;
  decode(wire: unknown, lib: CodecLibrary, refs?: Refs): unknown;
  CodecError: new (text: Text) => Error & { text: Text };
}

export interface Side {
  lib: CodecLibrary;
  codec: CodecApi;
  /** How the module is named in messages: `exercises/min-pool.ts`. */
  shown: string;
  /** Where in the student's file an error was thrown (`exercises/min-pool.ts:12:3`), if known. */
  locate(e: unknown): string | undefined;
  /** What a thrown error says when it is a "not allowed" of the exercise (./capabilities.ts, ./trace/record.ts). */
  forbidden?(e: unknown): Text | undefined;
}

export type Request = { op: "call"; name: string; args: Wire } | { op: "get"; name: string };
export type TraceRequest = { op: "trace"; name: string; args: Wire; inputs: TensorMeta[] };

/** Longest error text kept from a thrown value (a message can be megabytes long). */
export const MAX_ERROR_TEXT = 4000;

// Taken now, before any submission code can replace them.
const { apply, getPrototypeOf } = Reflect;
const { getOwnPropertyDescriptor } = Object;
const hasOwnProperty = Object.prototype.hasOwnProperty;
const isArray = Array.isArray;
const isView = ArrayBuffer.isView;
const U8 = Uint8Array;
const typedArrayProto = getPrototypeOf(Uint8Array.prototype) as object;
const getter = (name: string) => getOwnPropertyDescriptor(typedArrayProto, name)!.get!;
const bufferOf = getter("buffer");
const byteOffsetOf = getter("byteOffset");
const byteLengthOf = getter("byteLength");
const lengthOf = getter("length");
const u8Slice = U8.prototype.slice;
const StringOf = String;
const objectKeys = Object.keys;

/** "RangeError: message" for Errors, "thrown value: …" for anything else; never throws. */
export function errorText(e: unknown): string {
  try {
    if (e instanceof Error || (e !== null && typeof e === "object" && "message" in e && "name" in e)) {
      const err = e as { name: unknown; message: unknown };
      return `${StringOf(err.name)}: ${StringOf(err.message)}`.slice(0, MAX_ERROR_TEXT);
    }
    return `thrown value: ${StringOf(e)}`.slice(0, MAX_ERROR_TEXT);
  } catch {
    return "an unprintable thrown value";
  }
}

const firstLine = (s: string) => s.split("\n")[0];

/** "minPool2d returned something the grader cannot read: …" */
function unreadable(what: string, e: unknown, side: Side): Text {
  const why = e instanceof side.codec.CodecError ? e.text : same(errorText(e));
  return join([text(`${what} 的值评分器读不了：`, `${what} something the grader cannot read: `), why]);
}

function undecodable(e: unknown): Text {
  return text(`评分器的问题：参数无法解码：${errorText(e)}`, `grader bug: the arguments could not be decoded: ${errorText(e)}`);
}

/** The failure of a module that could not be loaded (a syntax error, a throw at its top level). */
export function loadFailure(shown: string, why: string, location?: string): Failure {
  return { kind: "load", message: text(`${shown} 无法加载：${firstLine(why)}`, `${shown} could not be loaded: ${firstLine(why)}`), location };
}

// ---------------------------------------------------------------------------------------------
// Inputs must come back unchanged (the codec hands copies, so only here can a change be seen)

interface Snapshot {
  argument: number;
  tensor: object;
  data: ArrayBufferView;
  bytes: Uint8Array;
  shape: unknown;
  dtype: unknown;
}

const own = (o: object, key: string): unknown => {
  const d = getOwnPropertyDescriptor(o, key);
  return d && "value" in d ? d.value : undefined;
};

function bytesOf(view: ArrayBufferView): Uint8Array {
  const all = new U8(apply(bufferOf, view, []) as ArrayBuffer, apply(byteOffsetOf, view, []) as number, apply(byteLengthOf, view, []) as number);
  return apply(u8Slice, all, []) as Uint8Array;
}

/** A tensor of this library copy, by its prototype chain (no `instanceof`: Symbol.hasInstance can be changed). */
function isTensor(v: object, lib: CodecLibrary): boolean {
  const proto = (lib.Tensor as unknown as { prototype: object }).prototype;
  for (let p = getPrototypeOf(v); p !== null; p = getPrototypeOf(p)) if (p === proto) return true;
  return false;
}

/** Every tensor among the (freshly decoded, so plain) arguments, with a copy of its bytes. */
function snapshot(args: unknown[], side: Side): Snapshot[] {
  const out: Snapshot[] = [];
  const visit = (v: unknown, argument: number, depth: number) => {
    if (depth > 8 || v === null || typeof v !== "object") return;
    if (isTensor(v, side.lib)) {
      const data = own(v, "data");
      if (isView(data)) out.push({ argument, tensor: v, data, bytes: bytesOf(data), shape: own(v, "shape"), dtype: own(v, "dtype") });
      return;
    }
    if (isArray(v)) for (let i = 0; i < v.length; i++) visit(v[i], argument, depth + 1);
    else for (const k of objectKeys(v)) visit(own(v, k), argument, depth + 1);
  };
  for (let i = 0; i < args.length; i++) visit(args[i], i, 0);
  return out;
}

/** The first argument a call changed: its index and what changed, or null. */
function changed(snaps: Snapshot[], side: Side): { argument: number; what: Text } | null {
  for (const s of snaps) {
    if (own(s.tensor, "data") !== s.data || own(s.tensor, "shape") !== s.shape || own(s.tensor, "dtype") !== s.dtype) {
      return { argument: s.argument, what: text("它的数据、形状或 dtype 被替换了", "its data, shape or dtype was replaced") };
    }
    const now = bytesOf(s.data);
    for (let i = 0; i < now.length; i++) {
      if (now[i] !== s.bytes[i]) {
        const size = (apply(byteLengthOf, s.data, []) as number) / (apply(lengthOf, s.data, []) as number);
        const element = Math.floor(i / size);
        const value = (s.data as unknown as ArrayLike<number>)[element];
        return { argument: s.argument, what: text(`第 ${element} 个元素（按展平顺序）现在是 ${StringOf(value)}`, `element ${element} (in flat order) is now ${StringOf(value)}`) };
      }
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------

/** The exported function `name`, or the failure that says why there is none. */
function exportedFunction(exports: Record<string, unknown>, name: string, side: Side): ((...a: unknown[]) => unknown) | Failure {
  if (!apply(hasOwnProperty, exports, [name])) {
    return { kind: "missing-export", message: text(`${side.shown} 没有导出 '${name}'（请保留练习模板里的名字：export function ${name}(...)）`, `${side.shown} does not export '${name}' (keep the names of the stub: export function ${name}(...))`) };
  }
  let value: unknown;
  try {
    value = exports[name]; // may be a getter
  } catch (e) {
    return { kind: "threw", message: same(firstLine(errorText(e))), location: side.locate(e) };
  }
  if (typeof value !== "function") return { kind: "missing-export", message: text(`${side.shown}：'${name}' 应是函数，实际是 ${typeof value}`, `${side.shown}: '${name}' should be a function, but it is ${typeof value}`) };
  return value as (...a: unknown[]) => unknown;
}

/** What the student's function threw, as a failure. */
function thrownFailure(e: unknown, side: Side): Failure {
  const said = errorText(e);
  if (e instanceof InputChanged) return { kind: "mutated", argument: e.argument, message: e.text };
  const forbidden = side.forbidden?.(e);
  if (forbidden) return { kind: "forbidden", message: forbidden, location: side.locate(e) };
  return { kind: "threw", message: same(firstLine(said)), location: side.locate(e), notImplemented: /not implemented yet/i.test(said) };
}

export async function invoke(exports: Record<string, unknown>, request: Request, side: Side): Promise<Reply> {
  const { name } = request;
  const fail = (failure: Failure): Reply => ({ ok: false, failure });
  let value: unknown;
  if (request.op === "call") {
    const fn = exportedFunction(exports, name, side);
    if (typeof fn !== "function") return fail(fn);
    let args: unknown[];
    try {
      args = side.codec.decode(request.args, side.lib) as unknown[];
    } catch (e) {
      return fail({ kind: "codec", message: undecodable(e) });
    }
    const before = snapshot(args, side);
    try {
      value = await fn(...args);
    } catch (e) {
      return fail(thrownFailure(e, side));
    }
    const change = changed(before, side);
    if (change) {
      return fail({ kind: "mutated", argument: change.argument, message: join([change.what, text("；函数不能修改它的输入——请在副本上操作（X.clone()）", "; a function must not modify its inputs — work on a copy (X.clone())")]) });
    }
  } else {
    if (!apply(hasOwnProperty, exports, [name])) return fail({ kind: "missing-export", message: text(`${side.shown} 没有导出 '${name}'（请保留练习模板里的名字：export const ${name} = ...）`, `${side.shown} does not export '${name}' (keep the names of the stub: export const ${name} = ...)`) });
    try {
      value = exports[name]; // may be a getter
    } catch (e) {
      return fail({ kind: "threw", message: same(firstLine(errorText(e))), location: side.locate(e) });
    }
  }
  const what = request.op === "call" ? `${name} returned` : name;
  try {
    return { ok: true, value: side.codec.encode(value, side.lib, what) };
  } catch (e) {
    return fail({ kind: "codec", message: unreadable(what, e, side) });
  }
}

/**
 * A traced call (./trace/): the arguments' tensors are references to the graph's inputs, which
 * become traced tensors (shape and dtype, no values); the reply is the recorded graph.
 */
export async function invokeTraced(exports: Record<string, unknown>, request: TraceRequest, side: Side, tracer: Tracer): Promise<Reply> {
  const fail = (failure: Failure): Reply => ({ ok: false, failure });
  const fn = exportedFunction(exports, request.name, side);
  if (typeof fn !== "function") return fail(fn);
  const wire = isArray(request.args) ? (request.args as Wire[]) : [];
  // Which argument holds each input (a change to it is reported as that argument's).
  const argumentOf: number[] = [];
  wire.forEach((w, i) => {
    for (const node of referencedNodes(w)) argumentOf[node] = i;
  });
  const inputs = tracer.begin(request.inputs, argumentOf);
  let args: unknown[];
  try {
    args = side.codec.decode(wire, side.lib, { resolve: (body) => inputs[(body as { node: number }).node] }) as unknown[];
  } catch (e) {
    tracer.abandon();
    return fail({ kind: "codec", message: undecodable(e) });
  }
  let value: unknown;
  try {
    value = await fn(...args);
  } catch (e) {
    tracer.abandon();
    return fail(thrownFailure(e, side));
  }
  const what = `${request.name} returned`;
  try {
    return { ok: true, value: tracer.finish(value, what) as unknown as Wire };
  } catch (e) {
    tracer.abandon();
    if (side.forbidden?.(e)) return fail(thrownFailure(e, side));
    return fail({ kind: "codec", message: unreadable(what, e, side) });
  }
}

/** The input nodes a wire value refers to. */
function referencedNodes(w: unknown, out: number[] = [], depth = 0): number[] {
  if (depth > 40 || w === null || typeof w !== "object") return out;
  if (!isArray(w) && apply(hasOwnProperty, w, ["$ref"])) {
    const node = (w as { $ref: { node?: unknown } }).$ref.node;
    if (typeof node === "number") out.push(node);
    return out;
  }
  for (const x of isArray(w) ? w : objectKeys(w).map((k) => (w as Record<string, unknown>)[k])) referencedNodes(x, out, depth + 1);
  return out;
}

/**
 * The module's constants among `names` (written answers…), each read once, now: name → reply. A
 * function is skipped. The grader reads them before any graded call, so a constant cannot show
 * anything a later call was given (a getter that returns what a hidden test passed in).
 */
export async function readConstants(exports: Record<string, unknown>, names: readonly string[], side: Side): Promise<Record<string, Reply>> {
  const out: Record<string, Reply> = {};
  for (const name of names) {
    if (!apply(hasOwnProperty, exports, [name])) continue;
    const d = getOwnPropertyDescriptor(exports, name);
    if (d && "value" in d && typeof d.value === "function") continue;
    let value: unknown;
    try {
      value = exports[name];
    } catch (e) {
      out[name] = { ok: false, failure: { kind: "threw", message: same(firstLine(errorText(e))), location: side.locate(e) } };
      continue;
    }
    if (typeof value === "function") continue;
    try {
      out[name] = { ok: true, value: side.codec.encode(value, side.lib, name) };
    } catch (e) {
      out[name] = { ok: false, failure: { kind: "codec", message: unreadable(name, e, side) } };
    }
  }
  return out;
}
