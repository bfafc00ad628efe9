import { DType, isFloating, promote, promoteWithScalar } from "./dtype";
import { broadcastIndex, broadcastShapes } from "./shape";
import { Dense, allocate, isDense } from "./storage";

/** A tensor, or a JS number or boolean taking part in an op as a 0-d tensor. */
export type Operand = Dense | number | boolean;

/**
 * Elementwise ops on `Dense` records (Tensor wraps what they return). Each value is computed in
 * double precision and stored into the result's typed array, which rounds it to float32 when the
 * result is float32 — for + − × ÷ and sqrt that is exactly the correctly rounded float32 result
 * PyTorch computes.
 */

export type UnaryName = "neg" | "abs" | "relu" | "sign" | "exp" | "log" | "sqrt" | "isnan";
export type BinaryName = "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum";
export type CompareName = "eq" | "ne" | "gt" | "ge" | "lt" | "le";

const UNARY: Record<UnaryName, (x: number) => number> = {
  neg: (x) => -x,
  abs: Math.abs,
  relu: (x) => (x > 0 ? x : Number.isNaN(x) ? x : 0),
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), // NaN gives 0, as PyTorch's (0 < a) - (a < 0)
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  isnan: (x) => (Number.isNaN(x) ? 1 : 0),
};

const BINARY: Record<BinaryName, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  // NaN propagates through maximum/minimum in PyTorch (unlike fmax/fmin).
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
};

const COMPARE: Record<CompareName, (a: number, b: number) => boolean> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
};

function unaryResultType(name: UnaryName, dtype: DType): DType {
  if (name === "isnan") return "bool";
  if (name === "exp" || name === "log" || name === "sqrt") return isFloating(dtype) ? dtype : "float32";
  if (name === "neg" && dtype === "bool") {
    throw new Error(
      "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.",
    );
  }
  return dtype === "bool" && name !== "relu" ? "int64" : dtype;
}

export function unary(x: Dense, name: UnaryName): Dense {
  const dtype = unaryResultType(name, x.dtype);
  const fn = UNARY[name];
  const xs = x.data; // read once: a tensor's data is a getter
  const out = allocate(dtype, xs.length, false);
  for (let i = 0; i < out.length; i++) out[i] = fn(xs[i]);
  return { data: out, shape: x.shape, dtype };
}

/** Turn a JS number into a 0-d tensor of the dtype it promotes to against `like`. */
function asDense(value: Operand, like: DType): Dense {
  if (isDense(value)) return value;
  const dtype = promoteWithScalar(like, value);
  const data = allocate(dtype, 1);
  data[0] = Number(value);
  return { data, shape: [], dtype };
}

/** PyTorch's `sub_check`: subtraction refuses bool operands, with a hint at the logical op meant. */
function checkBoolSubtraction(at: DType, bt: DType): void {
  if (at === "bool" && bt === "bool") {
    throw new Error(
      "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.",
    );
  }
  if (at === "bool" || bt === "bool") {
    throw new Error(
      "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.",
    );
  }
}

function binaryResultType(name: BinaryName, a: Operand, b: Operand, at: DType, bt: DType): DType {
  // A scalar operand does not decide the result type unless it is a float meeting an int tensor.
  let dtype: DType;
  if (!isDense(b)) dtype = promoteWithScalar(at, b);
  else if (!isDense(a)) dtype = promoteWithScalar(bt, a);
  else dtype = promote(at, bt);
  if (name === "div" && !isFloating(dtype)) return "float32";
  // bool op bool stays bool for + (logical or) and × (logical and), as in PyTorch.
  if (dtype === "bool" && name === "pow") return "int64";
  return dtype;
}

export function binary(a: Operand, b: Operand, name: BinaryName): Dense {
  const like = isDense(a) ? a.dtype : (b as Dense).dtype;
  const left = asDense(a, like);
  const right = asDense(b, like);
  if (name === "sub") checkBoolSubtraction(left.dtype, right.dtype);
  const dtype = binaryResultType(name, a, b, left.dtype, right.dtype);
  if (name === "pow" && dtype === "int64" && right.data.some((v) => v < 0)) {
    throw new Error("Integers to negative integer powers are not allowed.");
  }
  return combine(left, right, dtype, BINARY[name]);
}

export function compare(a: Dense, b: Operand, name: CompareName): Dense {
  const right = asDense(b, a.dtype);
  const test = COMPARE[name];
  return combine(a, right, "bool", (x, y) => (test(x, y) ? 1 : 0));
}

/** Apply `fn` pairwise after broadcasting both operands to a common shape. */
function combine(a: Dense, b: Dense, dtype: DType, fn: (x: number, y: number) => number): Dense {
  const shape = broadcastShapes(a.shape, b.shape);
  const out = allocate(dtype, shape.reduce((p, s) => p * s, 1), false);
  const fromA = broadcastIndex(a.shape, shape);
  const fromB = broadcastIndex(b.shape, shape);
  const as = a.data;
  const bs = b.data;
  for (let i = 0; i < out.length; i++) out[i] = fn(as[fromA[i]], bs[fromB[i]]);
  if (dtype === "int64") for (let i = 0; i < out.length; i++) out[i] = Math.trunc(out[i]);
  if (dtype === "bool") for (let i = 0; i < out.length; i++) out[i] = out[i] !== 0 ? 1 : 0;
  return { data: out, shape, dtype };
}
