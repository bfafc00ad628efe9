/**
 * What each traced exercise asks, checked on the recorded graph (./graph.ts) — not on the source
 * text, so an alias, a helper file or a computed name changes nothing: whatever the code did to the
 * inputs is in the graph, and only that.
 *
 * - `allow`: the operations the exercise's code may apply to its inputs (in the realm at the line
 *   that does it, and again on the grader's side). Tensors the code makes itself may use anything.
 * - `callRules`: what every call of a function must show (the task itself): avg-pool-as-conv's
 *   average comes out of conv2d; min-pool is built on max pooling.
 * - `onlyOps`: a stricter statement a graded part checks (max-via-relu: the maximum from relu, add,
 *   sub, neg and mul by constants only).
 */
import { join, text, type Text } from "../i18n";
import type { Graph, GraphNode, RefBody } from "./graph";

/** Ops that only reshape or retype a tensor: they do none of an exercise's work. */
export const SHAPE_OPS = ["reshape", "view", "flatten", "clone", "to", "float", "double"].map((m) => `Tensor#${m}`);
export const RELU_OPS = ["Tensor#relu", "torch.relu", "F.relu"];
export const ARITHMETIC_OPS = ["Tensor#add", "Tensor#sub", "Tensor#neg", "Tensor#mul", "torch.add", "torch.mul"];
export const CONV_OPS = ["conv2d", "F.conv2d"];
export const JOIN_OPS = ["torch.cat", "torch.stack"];
export const MAX_POOL_OPS = ["F.maxPool2d", "F.maxPool2dWithIndices", "nn.MaxPool2d"];

/** A reference's node index, or null for a constant (or anything else). */
function nodeOf(w: unknown): { node: number; out?: number } | null {
  if (w === null || typeof w !== "object" || !("$ref" in (w as object))) return null;
  const body = (w as { $ref: RefBody }).$ref;
  return "node" in body ? body : null;
}

/** Every `$ref` in a wire value. */
function refsIn(w: unknown, out: RefBody[] = [], depth = 0): RefBody[] {
  if (depth > 40 || w === null || typeof w !== "object") return out;
  if ("$ref" in (w as object)) {
    out.push((w as { $ref: RefBody }).$ref);
    return out;
  }
  for (const x of Array.isArray(w) ? w : Object.values(w as object)) refsIn(x, out, depth + 1);
  return out;
}

const nodeAt = (graph: Graph, index: number): GraphNode | null => (index >= graph.inputs.length ? graph.nodes[index - graph.inputs.length] : null);

/** Follows shape-only ops back from a reference: the first node that does work (null: an input). */
function throughShapeOps(graph: Graph, w: unknown): { node: GraphNode | null; index: number } | null {
  let ref = nodeOf(w);
  while (ref) {
    const node = nodeAt(graph, ref.node);
    if (!node || !SHAPE_OPS.includes(node.op)) return { node, index: ref.node };
    ref = nodeOf(node.self);
  }
  return null;
}

/** Whether a value depends on an input (holds a reference to an input or a node). */
const traced = (w: unknown) => refsIn(w).some((r) => "node" in r);

/** avg-pool-as-conv: the result is conv2d(X reshaped at most, a weight that does not depend on X), reshaped at most. */
export function averageFromConv(graph: Graph): Text | null {
  const head = throughShapeOps(graph, graph.result);
  const conv = head?.node;
  const found = conv ? conv.op.replace("#", ".") : head ? text("输入本身", "the input itself") : text("一个常量", "a constant");
  const problem = (why: Text) =>
    join([
      text("平均值必须由 conv2d 算出：结果应为 conv2d(X, 权重)（之后只可改变形状或 dtype），权重是固定的卷积核，不取决于 X。", "the average must come out of conv2d: the result should be conv2d(X, weight) (then only reshaped or retyped), with a fixed kernel as the weight, not one made from X. "),
      why,
    ]);
  if (!conv || !CONV_OPS.includes(conv.op)) return problem(join([text("你的结果来自 ", "Your result comes from "), found, text("。", ".")]));
  const [input, weight] = conv.args;
  if (traced(weight)) return problem(text("你的权重取决于 X。", "Your weight depends on X."));
  const source = throughShapeOps(graph, input);
  if (!source || source.node !== null) return problem(text("conv2d 的输入不是 X（只改变形状的 X 也可以）。", "conv2d's input is not X (X reshaped is fine)."));
  return null;
}

/** min-pool: max pooling does the work (the allowed ops leave no way to walk the windows oneself). */
export function builtOnMaxPool(graph: Graph): Text | null {
  if (graph.nodes.some((n) => MAX_POOL_OPS.includes(n.op))) return null;
  return text(
    "最小汇聚要由 F.maxPool2d 完成（对取负的输入做最大汇聚，再取负）：你的结果没有用到最大汇聚。",
    "min pooling must be done by F.maxPool2d (max pooling of the negated input, negated back): your result does not use max pooling.",
  );
}

/**
 * What the graph does beyond `allowed`: its ops outside the list, and (with the options) products of
 * two traced values and convolutions whose weight is made from the input. Empty: it holds.
 */
export function opsOutside(graph: Graph, allowed: readonly string[], options: { mulByConstantOnly?: boolean; constantWeights?: boolean } = {}): Text[] {
  const found = new Map<string, Text>();
  for (const n of graph.nodes) {
    const shown = n.op.replace("#", ".");
    if (!allowed.includes(n.op)) found.set(shown, text(shown, shown));
    if (options.mulByConstantOnly && (n.op === "Tensor#mul" || n.op === "torch.mul")) {
      const operands = n.op === "Tensor#mul" ? [n.self, n.args[0]] : [n.args[0], n.args[1]];
      if (operands.filter(traced).length > 1) found.set("product", text("两个张量相乘（mul 只能乘常数）", "a product of two tensors (mul by constants only)"));
    }
    if (options.constantWeights && CONV_OPS.includes(n.op) && traced(n.args[1])) {
      found.set("weight", text("conv2d 的权重由输入算出（卷积核应是固定的）", "conv2d with a weight made from the input (kernels are fixed)"));
    }
  }
  return [...found.values()];
}

/** Exercise → function → what every call's graph must show (the task itself). */
export const CALL_RULES: Readonly<Record<string, Readonly<Record<string, (graph: Graph) => Text | null>>>> = {
  "avg-pool-as-conv": { avgPoolAsConv: averageFromConv },
  "min-pool": { minPool2d: builtOnMaxPool, minPool2dWithIndices: builtOnMaxPool },
};

/** `*` in an allow or forbid name matches any run of characters. */
export function matcher(patterns: readonly string[]): (name: string) => boolean {
  const res = patterns.map((p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`));
  return (name) => res.some((re) => re.test(name));
}
