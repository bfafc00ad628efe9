/**
 * The grader's side of tracing: a recorded graph (./graph.ts), checked, evaluated with the real
 * library on the real inputs. The graph came from untrusted code, so before each operation runs:
 *
 * - its op must be one the exercise allows (the realm checked it too, but a graph can be forged);
 * - its inputs are the values of earlier nodes, which match the shapes the graph claimed;
 * - where an op's output size depends on more than its inputs' sizes (broadcasting, convolution),
 *   that size and the work are computed first and capped, so no graph can make the grader allocate or
 *   compute more than the caps allow (GRAPH_LIMITS). Every other op the grader evaluates makes no
 *   more elements than its inputs hold (plus a window's padding);
 * - its outputs must have the shapes and dtypes the graph claimed.
 */
import * as codec from "../codec";
import type { CodecLibrary, Wire } from "../codec";
import { GRAPH_LIMITS, GraphError, numelOf, type Graph, type RefBody, type TensorMeta } from "./graph";
import { applyOp } from "./ops";

type Library = Record<string, unknown> & { Tensor: { prototype: object } };
interface TensorLike {
  shape: readonly number[];
  dtype: string;
}

/** The library's operation failed on the real inputs (e.g. a conversion to int64 of a NaN). */
export class EvaluationError extends Error {
  constructor(
    readonly op: string,
    message: string,
  ) {
    super(message);
    this.name = "EvaluationError";
  }
}

/** Ops whose output has no more elements than their tensor inputs together (or a window's padding). */
const BOUNDED = new Set(
  [
    ...["relu", "neg", "abs", "sign", "exp", "log", "sqrt", "isnan", "to", "float", "double", "long", "clone", "reshape", "view", "flatten", "sum", "mean", "max", "min", "argmax", "argmin", "index"].map((m) => `Tensor#${m}`),
    ...["relu", "exp", "abs", "cat", "stack", "zerosLike", "onesLike"].map((f) => `torch.${f}`),
    ...["maxPool2d", "maxPool2dWithIndices", "avgPool2d", "lpPool2d", "relu"].map((f) => `F.${f}`),
    ...["MaxPool2d", "AvgPool2d", "LPPool2d"].map((c) => `nn.${c}`),
    "pool2d",
  ],
);
/** Elementwise ops of two operands: the output has the broadcast shape. */
const BINARY = new Set([
  ...["add", "sub", "mul", "div", "pow", "maximum", "minimum", "eq", "ne", "gt", "ge", "lt", "le"].map((m) => `Tensor#${m}`),
  ...["add", "mul", "maximum", "minimum"].map((f) => `torch.${f}`),
]);
const CONV = new Set(["conv2d", "F.conv2d"]);

const isTensorLike = (v: unknown): v is TensorLike => v !== null && typeof v === "object" && Array.isArray((v as TensorLike).shape) && typeof (v as TensorLike).dtype === "string";
const sizeOf = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

function broadcastSize(a: readonly number[], b: readonly number[]): number {
  const n = Math.max(a.length, b.length);
  let size = 1;
  for (let i = 1; i <= n; i++) {
    const x = a[a.length - i] ?? 1;
    const y = b[b.length - i] ?? 1;
    size *= Math.max(x, y);
  }
  return size;
}

const pairOf = (v: unknown, fallback: number): [number, number] =>
  typeof v === "number" ? [v, v] : Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === "number") ? [v[0], v[1]] : [fallback, fallback];

/** The elements an op will make and the multiply-adds it will do, computed before it runs. */
function cost(op: string, self: unknown, args: unknown[]): { elements: number; work: number } {
  const tensors = [self, ...args.flat()].filter(isTensorLike);
  const inputs = tensors.reduce((n, t) => n + sizeOf(t.shape), 0);
  if (BINARY.has(op)) {
    const [a, b] = op.startsWith("Tensor#") ? [self, args[0]] : [args[0], args[1]];
    const sa = isTensorLike(a) ? a.shape : [];
    const sb = isTensorLike(b) ? b.shape : [];
    const elements = broadcastSize(sa, sb);
    return { elements, work: elements };
  }
  if (CONV.has(op)) {
    const [x, w, options] = args as [unknown, unknown, Record<string, unknown> | undefined];
    if (!isTensorLike(x) || !isTensorLike(w) || w.shape.length !== 4) return { elements: inputs, work: inputs };
    const [H, W] = x.shape.slice(-2);
    const batch = x.shape.length === 4 ? x.shape[0] : 1;
    const [cout, cin, kh, kw] = w.shape;
    const [sh, sw] = pairOf(options?.stride, 1);
    const [ph, pw] = pairOf(options?.padding, 0);
    const oh = Math.max(0, Math.floor((H + 2 * ph - kh) / Math.max(1, sh)) + 1);
    const ow = Math.max(0, Math.floor((W + 2 * pw - kw) / Math.max(1, sw)) + 1);
    const elements = batch * cout * oh * ow;
    return { elements, work: elements * cin * kh * kw };
  }
  if (BOUNDED.has(op)) return { elements: inputs, work: inputs * 64 };
  throw new GraphError(`'${op}' is not an operation the grader evaluates`);
}

/** The most multiply-adds one graph may cost (an honest answer costs thousands). */
const MAX_WORK = 2_000_000_000;

export interface EvaluateRules {
  allows(op: string): boolean;
}

/** Evaluates `graph` on `inputs` (real tensors, in the graph's input order) with `lib`. */
export function evaluate(graph: Graph, inputs: readonly unknown[], lib: Library, rules: EvaluateRules): unknown {
  if (inputs.length !== graph.inputs.length) throw new GraphError(`the graph has ${graph.inputs.length} inputs, the call ${inputs.length}`);
  const values: unknown[] = inputs.map((t, i) => {
    if (!isTensorLike(t) || !sameMeta(t, graph.inputs[i])) throw new GraphError(`input ${i} does not have the shape the graph was recorded for`);
    return t;
  });
  const constants = new Map<number, unknown>();
  const codecLib = lib as unknown as CodecLibrary;
  const resolve = (body: Wire): unknown => {
    const ref = body as RefBody;
    if ("const" in ref) {
      if (!constants.has(ref.const)) constants.set(ref.const, codec.decode(graph.constants[ref.const], codecLib));
      return constants.get(ref.const);
    }
    const v = values[ref.node];
    return ref.out === undefined ? v : (v as unknown[])[ref.out];
  };
  const read = (w: Wire | undefined) => (w === undefined ? undefined : codec.decode(w, codecLib, { resolve }));
  let work = 0;
  graph.nodes.forEach((node, j) => {
    if (!rules.allows(node.op)) throw new GraphError(`'${node.op}' is not allowed in this exercise`);
    const self = read(node.self);
    const args = node.args.map((a) => read(a));
    const c = cost(node.op, self, args);
    work += c.work;
    if (c.elements > GRAPH_LIMITS.outputElements || work > MAX_WORK) throw new GraphError(`operation ${j + 1} (${node.op}) would cost more than the grader allows`);
    let result: unknown;
    try {
      result = applyOp(lib, node.op, self, args);
    } catch (e) {
      throw new EvaluationError(node.op, e instanceof Error ? e.message : String(e));
    }
    const claimed = Array.isArray(node.out) ? node.out : [node.out];
    const outputs = Array.isArray(node.out) ? (Array.isArray(result) ? result : []) : [result];
    if (outputs.length !== claimed.length || !outputs.every((t, k) => isTensorLike(t) && sameMeta(t, claimed[k]))) {
      throw new GraphError(`operation ${j + 1} (${node.op}) did not give the shapes the graph recorded`);
    }
    values.push(result);
  });
  return read(graph.result);
}

function sameMeta(t: TensorLike, m: TensorMeta): boolean {
  return t.dtype === m.dtype && t.shape.length === m.shape.length && t.shape.every((d, i) => d === m.shape[i]) && sizeOf(t.shape) === numelOf(m);
}
