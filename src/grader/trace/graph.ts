/**
 * A recorded graph: what a traced exercise's function did with its inputs, as plain data.
 *
 * In the exercises whose task is "build it from these operations" (max-via-relu, avg-pool-as-conv,
 * min-pool), the student's function never gets the grader's values: its tensor arguments are traced
 * tensors (./record.ts) with a shape and a dtype and no storage, and every operation on them adds a
 * node here. The grader then evaluates the graph on the real inputs (./evaluate.ts) and checks what
 * the task asks on its nodes (./rules.ts). A submission that never holds a value cannot leak one.
 *
 *   inputs     node 0 … n−1: the traced arguments, in the order the arguments hold them
 *   constants  tensors the function made itself from JS numbers (it knows their values)
 *   nodes      node n, n+1, …: one operation each: `op` (`Tensor#add`, `F.maxPool2d`, `conv2d`,
 *              `nn.MaxPool2d`…), its receiver for a method (`self`), its arguments, its outputs' shapes
 *   result     what the function returned, with references in place of tensors
 *
 * A reference (the codec's `{ $ref: body }`) is `{ node: i }` (a node's one output), `{ node: i, out: k }`
 * (output k of a node that returns several, e.g. `[values, indices]`) or `{ const: k }`.
 *
 * The graph comes from untrusted code: `readGraph` checks every field and the caps below before the
 * grader evaluates anything.
 */
import type { Wire } from "../codec";

export interface TensorMeta {
  shape: number[];
  dtype: "float32" | "float64" | "int64" | "bool";
}

export interface GraphNode {
  op: string;
  /** The receiver of a method (`Tensor#…`), or for a layer (`nn.…`) the layer's own arguments. */
  self?: Wire;
  args: Wire[];
  /** The shape and dtype of each output (one, or several in order). */
  out: TensorMeta | TensorMeta[];
}

export interface Graph {
  inputs: TensorMeta[];
  constants: Wire[];
  nodes: GraphNode[];
  result: Wire;
}

export type RefBody = { node: number; out?: number } | { const: number };

/** What one graph may hold: enough for any honest answer by far, too little to load the grader. */
export const GRAPH_LIMITS = Object.freeze({
  nodes: 2_000,
  /** Numbers in all constants together. */
  constantNumbers: 1_000_000,
  /** Elements of one node's output, and of all outputs together. */
  outputElements: 4_000_000,
  totalElements: 16_000_000,
  dims: 8,
});

const DTYPES = new Set(["float32", "float64", "int64", "bool"]);

export class GraphError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GraphError";
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function readMeta(v: unknown, where: string): TensorMeta {
  if (!isObject(v) || !Array.isArray(v.shape) || typeof v.dtype !== "string" || !DTYPES.has(v.dtype)) throw new GraphError(`${where}: not a shape and dtype`);
  const shape = v.shape;
  if (shape.length > GRAPH_LIMITS.dims || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) throw new GraphError(`${where}: an invalid shape`);
  return { shape: shape as number[], dtype: v.dtype as TensorMeta["dtype"] };
}

export const numelOf = (m: TensorMeta) => m.shape.reduce((p, d) => p * d, 1);

/** The number of numbers a wire value holds (constants are capped by it). */
function wireNumbers(w: unknown, depth = 0): number {
  if (depth > 40) throw new GraphError("a constant nested too deep");
  if (Array.isArray(w)) return w.reduce((n: number, x) => n + wireNumbers(x, depth + 1), 0);
  if (isObject(w)) return Object.values(w).reduce((n: number, x) => n + wireNumbers(x, depth + 1), 0);
  return 1;
}

/**
 * An untrusted graph (as it came over the wire) checked field by field: the shapes it claims, the
 * caps, and that each node refers only to inputs, constants and earlier nodes. Throws GraphError.
 */
export function readGraph(raw: unknown): Graph {
  if (!isObject(raw)) throw new GraphError("not a graph");
  const { inputs, constants, nodes, result } = raw;
  if (!Array.isArray(inputs) || !Array.isArray(constants) || !Array.isArray(nodes)) throw new GraphError("a graph without inputs, constants or nodes");
  if (nodes.length > GRAPH_LIMITS.nodes) throw new GraphError(`more than ${GRAPH_LIMITS.nodes} operations`);
  const metas = inputs.map((m, i) => readMeta(m, `input ${i}`));
  let numbers = 0;
  for (const c of constants) numbers += wireNumbers(c);
  if (numbers > GRAPH_LIMITS.constantNumbers) throw new GraphError(`constants of more than ${GRAPH_LIMITS.constantNumbers} numbers`);
  let total = 0;
  const outputs: number[] = metas.map(() => 1); // how many outputs each node has (inputs: one)
  const read = nodes.map((n, j): GraphNode => {
    const where = `operation ${j + 1}`;
    if (!isObject(n) || typeof n.op !== "string" || !Array.isArray(n.args)) throw new GraphError(`${where}: malformed`);
    const out = Array.isArray(n.out) ? n.out.map((m, k) => readMeta(m, `${where}, output ${k}`)) : readMeta(n.out, where);
    for (const m of Array.isArray(out) ? out : [out]) {
      const size = numelOf(m);
      if (size > GRAPH_LIMITS.outputElements) throw new GraphError(`${where} (${n.op}) makes a tensor of ${size} elements (at most ${GRAPH_LIMITS.outputElements})`);
      total += size;
    }
    if (total > GRAPH_LIMITS.totalElements) throw new GraphError(`the operations make more than ${GRAPH_LIMITS.totalElements} elements in all`);
    checkRefs([n.self, n.args], metas.length + j, outputs, constants.length, where);
    outputs.push(Array.isArray(out) ? out.length : 1);
    return { op: n.op, self: n.self as Wire | undefined, args: n.args as Wire[], out };
  });
  checkRefs(result, metas.length + read.length, outputs, constants.length, "the result");
  return { inputs: metas, constants: constants as Wire[], nodes: read, result: (result ?? null) as Wire };
}

/** Every `$ref` in `w` points at an input, a constant or an earlier node (before `before`), and at an output it has. */
function checkRefs(w: unknown, before: number, outputs: readonly number[], constantCount: number, where: string, depth = 0): void {
  if (depth > 40) throw new GraphError(`${where}: nested too deep`);
  if (Array.isArray(w)) {
    for (const x of w) checkRefs(x, before, outputs, constantCount, where, depth + 1);
    return;
  }
  if (!isObject(w)) return;
  if ("$ref" in w) {
    const body = w.$ref;
    if (!isObject(body)) throw new GraphError(`${where}: a malformed reference`);
    if ("const" in body) {
      if (!Number.isInteger(body.const) || (body.const as number) < 0 || (body.const as number) >= constantCount) throw new GraphError(`${where}: a reference to no constant`);
      return;
    }
    const node = body.node as number;
    if (!Number.isInteger(node) || node < 0 || node >= before) throw new GraphError(`${where}: a reference to an operation that comes later or does not exist`);
    const count = outputs[node];
    const out = body.out;
    if (out === undefined ? count !== 1 : !Number.isInteger(out) || (out as number) < 0 || (out as number) >= count) throw new GraphError(`${where}: a reference to an output that operation does not have`);
    return;
  }
  for (const x of Object.values(w)) checkRefs(x, before, outputs, constantCount, where, depth + 1);
}
