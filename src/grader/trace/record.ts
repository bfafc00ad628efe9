/**
 * Tracing, inside a traced exercise's realm (../sandbox/in-realm.ts): the student's function gets
 * traced tensors — a shape, a dtype and nothing else — and every operation on them records a node of
 * the graph (./graph.ts) instead of computing values.
 *
 * - A traced tensor is a Tensor to the student's code (`instanceof Tensor`, `.shape`, `.dtype`,
 *   `.dim()`, `.size()`, every method), but it holds no storage: the grader never sent the values.
 *   What needs values (`.data`, `.item()`, `.tolist()`, printing, `X + 1`) throws, saying to compute
 *   with the library's operations.
 * - An operation on a traced tensor is checked against what the exercise allows, then run by the real
 *   library on a stand-in of zeros of the same shape and dtype (./ops.ts `applyOp`): the output's shape
 *   and dtype come out of the library's own geometry, and a bad call throws PyTorch's own error —
 *   which cannot depend on the grader's values, since the stand-ins have none.
 * - Tensors the student makes from JS numbers are ordinary tensors with values (constants): the
 *   student knows them anyway. Used with a traced tensor, they are recorded in the graph.
 *
 * Nothing here is trusted by the grader: the graph is checked again on the grader's side, where it is
 * evaluated. The checks here are for the student: an error at the line that did it.
 */
import type { CodecLibrary, Wire } from "../codec";
import * as codec from "../codec";
import { join, text, type Text } from "../i18n";
import type { Graph, GraphNode, TensorMeta } from "./graph";
import { applyOp } from "./ops";

type Library = Record<string, unknown> & { Tensor: { prototype: object } & (new (data: ArrayLike<number>, shape: readonly number[], dtype: string) => TensorLike) };
interface TensorLike {
  readonly shape: readonly number[];
  readonly dtype: string;
}
type Fn = (...args: unknown[]) => unknown;

export interface TraceRules {
  /** Whether the exercise lets its code apply `op` to a traced tensor. */
  allows(op: string): boolean;
  /** What to do instead of an op it does not allow ("use only relu, add, …"). */
  instead: Text;
  /** An error the grader reports as "not allowed" (not as the code's own throw), with this message. */
  forbidden(message: Text): Error;
}

/** How an op is named to a student: `Tensor.max`, `F.maxPool2d`. */
export const shownOp = (op: string) => op.replace("#", ".");

/** A traced input was changed in place (the grader reports "changed its input"). */
export class InputChanged extends Error {
  readonly text = text("对输入调用了 Tensor.set：函数不能修改它的输入——请在副本上操作（X.clone()）", "Tensor.set on an input: a function must not modify its inputs — work on a copy (X.clone())");
  constructor(readonly argument: number) {
    super("");
    this.message = this.text.en;
    this.name = "InputChanged";
  }
}

/** Methods that hand back values as JS numbers, booleans or text: refused, saying why. */
const VALUE_READERS = new Set(["item", "tolist", "get", "scalarAt", "all", "any", "toString"].map((m) => `Tensor#${m}`));

/** Methods that answer from the shape alone: a traced tensor answers them itself. */
const SHAPE_ONLY = new Set(["Tensor#numel", "Tensor#dim", "Tensor#size", "torch.isTensor"]);

interface TracedInfo {
  recording: Recording;
  /** Where it comes from: an input (node < inputs), or an output of a node. */
  node: number;
  out?: number;
  meta: TensorMeta;
  /** The argument it was given in (inputs only): changing it is "mutated". */
  argument?: number;
}

interface Recording {
  inputs: TensorMeta[];
  constants: Wire[];
  nodes: GraphNode[];
  open: boolean;
}

/** The recorder of one realm: a tracing copy of its library, and one recording per call. */
export interface Tracer {
  /** What `require("d2l-pooling")` gives the exercise's code. */
  library: Record<string, unknown>;
  /** Starts recording a call: the traced tensors for `inputs` (in the order of the graph's inputs). */
  begin(inputs: readonly TensorMeta[], argumentOf: readonly number[]): object[];
  /** Ends the call: the graph, with `result` encoded (traced tensors as references). */
  finish(result: unknown, what: string): Graph;
  /** Ends a call that threw. */
  abandon(): void;
  isTraced(v: unknown): boolean;
}

export function createTracer(lib: Library, rules: TraceRules): Tracer {
  const info = new WeakMap<object, TracedInfo>();
  let recording: Recording | null = null;
  const Tensor = lib.Tensor;
  const tensorProto = Tensor.prototype;
  const isTensor = (v: unknown): v is TensorLike => v instanceof (Tensor as unknown as new () => object);
  const isTraced = (v: unknown): boolean => v !== null && typeof v === "object" && info.has(v);

  const refuse = (op: string) => rules.forbidden(join([text(`这个练习不允许用 \`${shownOp(op)}\`：`, `\`${shownOp(op)}\` is not allowed in this exercise: `), rules.instead]));
  const noValues = (what: string) =>
    rules.forbidden(
      join([
        text(
          `${what} 需要评分输入的数值，而这个练习只给你的代码输入的形状和 dtype、不给数值：请用库里的运算算出结果——`,
          `${what} needs the values of the grader's inputs, which this exercise does not give your code (it gets their shapes and dtypes): compute the result with the library's operations — `,
        ),
        rules.instead,
      ]),
    );

  /** Whether any traced tensor is among the values (arrays and plain objects searched, a few levels deep). */
  const anyTraced = (v: unknown, depth = 0): boolean => {
    if (isTraced(v)) return true;
    if (depth > 4 || v === null || typeof v !== "object" || isTensor(v)) return false;
    const items = Array.isArray(v) ? v : Object.values(v as object);
    return items.some((x) => anyTraced(x, depth + 1));
  };

  const storageFor = (m: TensorMeta, n: number) => (m.dtype === "float32" ? new Float32Array(n) : m.dtype === "bool" ? new Uint8Array(n) : new Float64Array(n));
  /** Zeros of a traced tensor's shape and dtype: what the library computes on instead of values. */
  const standIn = (t: object): TensorLike => {
    const m = info.get(t)!.meta;
    return new Tensor(storageFor(m, m.shape.reduce((p, d) => p * d, 1)), m.shape, m.dtype);
  };
  const withStandIns = (v: unknown, depth = 0): unknown => {
    if (isTraced(v)) return standIn(v as object);
    if (depth > 4 || v === null || typeof v !== "object" || isTensor(v)) return v;
    if (Array.isArray(v)) return v.map((x) => withStandIns(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as object)) out[k] = withStandIns(x, depth + 1);
    return out;
  };

  const current = (): Recording => {
    if (!recording?.open) throw new Error("a traced tensor was used outside the call it was given to (keep no tensors between calls) / 在给它的那次调用之外用了追踪张量（不要在调用之间保存张量）");
    return recording;
  };

  /** A traced tensor: a Tensor without storage. */
  const TracedProto = Object.create(tensorProto) as object;
  const traced = (r: Recording, node: number, meta: TensorMeta, out?: number, argument?: number): object => {
    const t = Object.create(TracedProto) as object;
    Object.defineProperties(t, {
      shape: { value: Object.freeze([...meta.shape]), enumerable: true },
      dtype: { value: meta.dtype, enumerable: true },
    });
    info.set(t, { recording: r, node, out, meta, argument });
    return t;
  };

  /** A value as it goes into the graph: traced tensors as references, constants copied. */
  const encodeArg = (r: Recording, v: unknown, where: string): Wire =>
    codec.encode(v, lib as unknown as CodecLibrary, where, {
      refOf: (o) => {
        const t = info.get(o);
        if (t) {
          if (t.recording !== r) throw new Error("a traced tensor was used outside the call it was given to (keep no tensors between calls) / 在给它的那次调用之外用了追踪张量（不要在调用之间保存张量）");
          return (t.out === undefined ? { node: t.node } : { node: t.node, out: t.out }) as Wire;
        }
        if (!isTensor(o)) return undefined;
        r.constants.push(codec.encode(o, lib as unknown as CodecLibrary, where));
        return { const: r.constants.length - 1 } as Wire;
      },
    });

  /** Records `op` applied to values some of which are traced; returns traced outputs. */
  const record = (op: string, self: unknown, args: unknown[]): unknown => {
    const r = current();
    // Answered from the shape alone: stand-ins of the same shape give the exact answer.
    if (SHAPE_ONLY.has(op)) return applyOp(lib, op, withStandIns(self), args.map((a) => withStandIns(a)));
    if (VALUE_READERS.has(op)) throw noValues(`${shownOp(op)}()`);
    if (!rules.allows(op)) throw refuse(op);
    const result = applyOp(lib, op, withStandIns(self), args.map((a) => withStandIns(a)));
    const outputs = isTensor(result) ? [result] : Array.isArray(result) && result.length > 0 && result.every(isTensor) ? (result as TensorLike[]) : null;
    if (!outputs) throw noValues(`${shownOp(op)}()`);
    const metas = outputs.map((t) => ({ shape: [...t.shape], dtype: t.dtype as TensorMeta["dtype"] }));
    const node = r.inputs.length + r.nodes.length;
    r.nodes.push({
      op,
      ...(self === undefined ? {} : { self: encodeArg(r, self, `${op} receiver`) }),
      args: args.map((a, i) => encodeArg(r, a, `${op} argument ${i + 1}`)),
      out: isTensor(result) ? metas[0] : metas,
    });
    return isTensor(result) ? traced(r, node, metas[0]) : metas.map((m, k) => traced(r, node, m, k));
  };

  // Every Tensor method, on a traced tensor: recorded (or answered from the shape).
  for (const name of Object.getOwnPropertyNames(tensorProto)) {
    const d = Object.getOwnPropertyDescriptor(tensorProto, name)!;
    if (name === "constructor" || typeof d.value !== "function") continue;
    const op = `Tensor#${name}`;
    let method: Fn;
    if (name === "set") {
      method = function (this: object) {
        const t = info.get(this);
        if (t?.argument !== undefined) throw new InputChanged(t.argument);
        throw refuse("Tensor#set");
      };
    } else if (name === "dispose") {
      method = () => undefined;
    } else if (name === "toString") {
      method = function (this: object) {
        throw noValues("printing a tensor");
      };
    } else {
      method = function (this: object, ...args: unknown[]) {
        return record(op, this, args);
      };
    }
    Object.defineProperty(method, "name", { value: name });
    Object.defineProperty(TracedProto, name, { value: method, writable: false, configurable: false });
  }
  Object.defineProperty(TracedProto, "data", {
    get() {
      throw noValues("X.data");
    },
    configurable: false,
  });
  Object.defineProperty(TracedProto, "ndim", {
    get(this: TensorLike) {
      return this.shape.length;
    },
    configurable: false,
  });
  const disposeSymbol = (Symbol as { dispose?: symbol }).dispose;
  for (const key of Object.getOwnPropertySymbols(tensorProto)) {
    Object.defineProperty(TracedProto, key, {
      value:
        key === disposeSymbol
          ? () => undefined
          : () => {
              throw noValues("printing a tensor");
            },
    });
  }
  Object.defineProperty(TracedProto, Symbol.toPrimitive, {
    value: () => {
      throw noValues("using a tensor as a number");
    },
  });
  Object.freeze(TracedProto);

  // A tensor with values (a constant) used with a traced one: the operation is recorded too.
  for (const name of Object.getOwnPropertyNames(tensorProto)) {
    const d = Object.getOwnPropertyDescriptor(tensorProto, name)!;
    if (name === "constructor" || typeof d.value !== "function" || !d.configurable) continue;
    const original = d.value as Fn;
    const op = `Tensor#${name}`;
    const method = function (this: object, ...args: unknown[]) {
      return anyTraced(args) ? record(op, this, args) : Reflect.apply(original, this, args);
    };
    Object.defineProperty(method, "name", { value: name });
    Object.defineProperty(tensorProto, name, { ...d, value: method });
  }

  // Every function of the module, the same way.
  const wrap = (op: string, fn: Fn): Fn => {
    const wrapped = function (this: unknown, ...args: unknown[]) {
      return anyTraced(args) ? record(op, undefined, args) : Reflect.apply(fn, this, args);
    };
    Object.defineProperty(wrapped, "name", { value: fn.name });
    return wrapped;
  };
  const wrapLayer = (op: string, make: Fn): Fn => {
    const factory = (...ctorArgs: unknown[]) => {
      const layer = make(...ctorArgs) as Fn & Record<string, unknown>;
      const call = (...args: unknown[]) => (anyTraced(args) ? record(op, ctorArgs, args) : layer(...args));
      for (const key of Reflect.ownKeys(layer)) {
        if (key === "length" || key === "name" || key === "prototype") continue;
        Object.defineProperty(call, key, Object.getOwnPropertyDescriptor(layer, key)!);
      }
      Object.defineProperty(call, "forward", { value: call });
      return call;
    };
    Object.defineProperty(factory, "name", { value: make.name });
    return factory;
  };
  const namespace = (ns: string, source: Record<string, unknown>, wrapOne: (op: string, fn: Fn) => Fn) => {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(source)) {
      const v = source[key];
      out[key] = typeof v === "function" && key !== "Tensor" ? wrapOne(`${ns}.${key}`, v as Fn) : v;
    }
    return out;
  };
  const F = Object.freeze(namespace("F", lib.F as Record<string, unknown>, wrap));
  const nn = namespace("nn", lib.nn as Record<string, unknown>, wrapLayer);
  if ("functional" in nn) nn.functional = F;
  const library: Record<string, unknown> = {};
  for (const key of Object.keys(lib)) {
    const v = lib[key];
    if (key === "torch") library.torch = Object.freeze(namespace("torch", v as Record<string, unknown>, wrap));
    else if (key === "F") library.F = F;
    else if (key === "nn") library.nn = Object.freeze(nn);
    else library[key] = typeof v === "function" && key !== "Tensor" ? wrap(key, v as Fn) : v;
  }

  return {
    library: Object.freeze(library),
    isTraced,
    begin(inputs, argumentOf) {
      const r: Recording = { inputs: inputs.map((m) => ({ shape: [...m.shape], dtype: m.dtype })), constants: [], nodes: [], open: true };
      recording = r;
      return r.inputs.map((m, i) => traced(r, i, m, undefined, argumentOf[i]));
    },
    finish(result, what) {
      const r = current();
      const encoded = encodeArg(r, result, what);
      r.open = false;
      return { inputs: r.inputs, constants: r.constants, nodes: r.nodes, result: encoded };
    },
    abandon() {
      if (recording) recording.open = false;
    },
  };
}
