/**
 * One recorded operation applied with a copy of the library: the same function in the exercise's
 * realm (on shape-only stand-ins, to learn the output's shape and any error PyTorch would raise:
 * ./record.ts) and on the grader's side (on the real inputs: ./evaluate.ts).
 *
 * Op names say where the operation lives in the module the student imports:
 *   Tensor#add   a method (the receiver is `self`)
 *   torch.cat    F.maxPool2d    a function of a namespace
 *   conv2d       pool2d         a top-level function
 *   nn.MaxPool2d a layer: `self` holds the layer's own arguments, `args` what it is called with
 */

/** Methods a graph may not hold: they write in place or free storage (the graph's values are shared). */
const NOT_RECORDED = new Set(["constructor", "set", "dispose"]);
const NAMESPACES = new Set(["torch", "F", "nn"]);

export class UnknownOp extends Error {
  constructor(op: string) {
    super(`'${op}' is not an operation of the d2l-pooling module`);
    this.name = "UnknownOp";
  }
}

type Library = Record<string, unknown> & { Tensor: { prototype: object } };
type Fn = (...args: unknown[]) => unknown;

const own = (o: object, key: string): unknown => (Object.prototype.hasOwnProperty.call(o, key) ? (o as Record<string, unknown>)[key] : undefined);

/** The library function an op name names, or UnknownOp. */
function resolve(lib: Library, op: string): { kind: "method" | "function" | "layer"; fn: Fn; name: string } {
  const method = /^Tensor#([A-Za-z]\w*)$/.exec(op);
  if (method) {
    const fn = own(lib.Tensor.prototype, method[1]);
    if (typeof fn !== "function" || NOT_RECORDED.has(method[1])) throw new UnknownOp(op);
    return { kind: "method", fn: fn as Fn, name: method[1] };
  }
  const member = /^(torch|F|nn)\.([A-Za-z]\w*)$/.exec(op);
  if (member) {
    const ns = own(lib, member[1]);
    const fn = ns && typeof ns === "object" ? own(ns, member[2]) : undefined;
    if (typeof fn !== "function" || member[2] === "Tensor") throw new UnknownOp(op);
    return { kind: member[1] === "nn" ? "layer" : "function", fn: fn as Fn, name: member[2] };
  }
  if (/^[A-Za-z]\w*$/.test(op) && !NAMESPACES.has(op) && op !== "Tensor") {
    const fn = own(lib, op);
    if (typeof fn === "function") return { kind: "function", fn: fn as Fn, name: op };
  }
  throw new UnknownOp(op);
}

/** Applies `op` (see above) to decoded values. */
export function applyOp(lib: Library, op: string, self: unknown, args: unknown[]): unknown {
  const { kind, fn } = resolve(lib, op);
  if (kind === "method") {
    if (!(self instanceof (lib.Tensor as unknown as new () => object))) throw new UnknownOp(`${op} on something that is not a tensor`);
    return Reflect.apply(fn, self, args);
  }
  if (kind === "layer") {
    const layer = fn(...(Array.isArray(self) ? self : []));
    if (typeof layer !== "function") throw new UnknownOp(op);
    return (layer as Fn)(...args);
  }
  return fn(...args);
}
