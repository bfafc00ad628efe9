import { inspect } from "node:util";
import { DType, Storage, castValue, isDType } from "./dtype";
import { Shape, formatShape, inferShape, normalizeDim, numelOf } from "./shape";
import { formatTensor } from "./format";
import { Dense, allocate, copyStorage } from "./storage";
import { releaseStorage } from "./heap";
import { Index, readIndex, writeIndex } from "./indexing";
import * as ops from "./ops";
import * as reduce from "./reduce";

/** A nested JS array as `tolist()` returns it (or a single number for a 0-d tensor). */
export type NestedList = number | boolean | NestedList[];

export type Operand = Tensor | number | boolean;

/** A Tensor around what an op below returned. */
const wrap = (r: Dense): Tensor => new Tensor(r.data, r.shape, r.dtype);

/** A disposed tensor's data: any use says so instead of reading memory that is someone else's now. */
const DISPOSED = new Proxy(new Float32Array(0), {
  get() {
    throw new Error("this tensor was disposed (tensor.dispose()); use a tensor that is still alive");
  },
}) as Storage;

/**
 * A dense, row-major n-dimensional array with a dtype — the small slice of torch.Tensor
 * the pooling chapter needs. Every op returns a new tensor; only `set` writes in place
 * (it plays the role of PyTorch's `Y[i, j] = ...`).
 */
export class Tensor {
  /** The values, flat in row-major order (a Float32Array, a Float64Array — int64 too — or a Uint8Array for bool). */
  readonly data: Storage;
  declare readonly shape: readonly number[];
  declare readonly dtype: DType;

  constructor(data: Storage, shape: Shape, dtype: DType) {
    if (data.length !== numelOf(shape)) {
      throw new Error(`a tensor of shape ${formatShape(shape)} needs ${numelOf(shape)} elements, got ${data.length}`);
    }
    this.data = data;
    // Read-only for everyone, at run time too: a shape or dtype that no longer fits the storage
    // would make every later read wrong.
    Object.defineProperty(this, "shape", { value: Object.freeze([...shape]), enumerable: true, writable: false, configurable: false });
    Object.defineProperty(this, "dtype", { value: dtype, enumerable: true, writable: false, configurable: false });
  }

  // ---- size ----------------------------------------------------------------------------
  numel(): number {
    return this.data.length;
  }
  dim(): number {
    return this.shape.length;
  }
  get ndim(): number {
    return this.shape.length;
  }
  /** `size()` is the shape; `size(d)` one dimension (negative counts from the end). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    return dim === undefined ? [...this.shape] : this.shape[normalizeDim(dim, this.dim())];
  }

  // ---- shape and type ------------------------------------------------------------------
  /** `t.reshape(1, 1, 4, 4)` or `t.reshape([1, 1, 4, 4])`; one size may be -1. */
  reshape(...shape: number[] | [readonly number[]]): Tensor {
    const requested = Array.isArray(shape[0]) ? (shape[0] as readonly number[]) : (shape as number[]);
    return new Tensor(copyStorage(this.data, this.dtype), inferShape(requested, this.numel()), this.dtype);
  }
  view(...shape: number[] | [readonly number[]]): Tensor {
    return this.reshape(...shape);
  }
  flatten(): Tensor {
    return this.reshape(-1);
  }
  clone(): Tensor {
    return new Tensor(copyStorage(this.data, this.dtype), this.shape, this.dtype);
  }
  /** A copy converted to another dtype (`t.to("int64")`). */
  to(dtype: DType): Tensor {
    if (!isDType(dtype)) throw new Error(`unknown dtype ${String(dtype)}; use one of float32, float64, int64, bool`);
    if (dtype === this.dtype) return this;
    const out = allocate(dtype, this.numel(), false);
    const values = this.data;
    for (let i = 0; i < out.length; i++) out[i] = castValue(values[i], dtype);
    return new Tensor(out, this.shape, dtype);
  }
  float(): Tensor {
    return this.to("float32");
  }
  double(): Tensor {
    return this.to("float64");
  }
  long(): Tensor {
    return this.to("int64");
  }

  // ---- elementwise math (broadcasting, PyTorch type promotion) -------------------------
  add(other: Operand): Tensor {
    return wrap(ops.binary(this, other, "add"));
  }
  sub(other: Operand): Tensor {
    return wrap(ops.binary(this, other, "sub"));
  }
  mul(other: Operand): Tensor {
    return wrap(ops.binary(this, other, "mul"));
  }
  /** True division, as PyTorch's `/`: integer tensors give float32. */
  div(other: Operand): Tensor {
    return wrap(ops.binary(this, other, "div"));
  }
  pow(exponent: Operand): Tensor {
    return wrap(ops.binary(this, exponent, "pow"));
  }
  maximum(other: Tensor): Tensor {
    return wrap(ops.binary(this, other, "maximum"));
  }
  minimum(other: Tensor): Tensor {
    return wrap(ops.binary(this, other, "minimum"));
  }
  eq(other: Operand): Tensor {
    return wrap(ops.compare(this, other, "eq"));
  }
  ne(other: Operand): Tensor {
    return wrap(ops.compare(this, other, "ne"));
  }
  gt(other: Operand): Tensor {
    return wrap(ops.compare(this, other, "gt"));
  }
  ge(other: Operand): Tensor {
    return wrap(ops.compare(this, other, "ge"));
  }
  lt(other: Operand): Tensor {
    return wrap(ops.compare(this, other, "lt"));
  }
  le(other: Operand): Tensor {
    return wrap(ops.compare(this, other, "le"));
  }
  neg(): Tensor {
    return wrap(ops.unary(this, "neg"));
  }
  abs(): Tensor {
    return wrap(ops.unary(this, "abs"));
  }
  relu(): Tensor {
    return wrap(ops.unary(this, "relu"));
  }
  sign(): Tensor {
    return wrap(ops.unary(this, "sign"));
  }
  exp(): Tensor {
    return wrap(ops.unary(this, "exp"));
  }
  log(): Tensor {
    return wrap(ops.unary(this, "log"));
  }
  sqrt(): Tensor {
    return wrap(ops.unary(this, "sqrt"));
  }
  isnan(): Tensor {
    return wrap(ops.unary(this, "isnan"));
  }

  // ---- reductions: over everything, or along one dim -----------------------------------
  sum(dim?: number, keepdim = false): Tensor {
    return wrap(reduce.reduce(this, "sum", dim, keepdim));
  }
  mean(dim?: number, keepdim = false): Tensor {
    return wrap(reduce.reduce(this, "mean", dim, keepdim));
  }
  /** The largest value (NaN wins, as in PyTorch). Along a dim this gives only the values; see `argmax`. */
  max(dim?: number, keepdim = false): Tensor {
    return wrap(reduce.reduce(this, "max", dim, keepdim));
  }
  min(dim?: number, keepdim = false): Tensor {
    return wrap(reduce.reduce(this, "min", dim, keepdim));
  }
  argmax(dim?: number, keepdim = false): Tensor {
    return wrap(reduce.reduce(this, "argmax", dim, keepdim));
  }
  argmin(dim?: number, keepdim = false): Tensor {
    return wrap(reduce.reduce(this, "argmin", dim, keepdim));
  }
  all(): boolean {
    return this.data.every((v) => v !== 0);
  }
  any(): boolean {
    return this.data.some((v) => v !== 0);
  }

  // ---- indexing ------------------------------------------------------------------------
  /**
   * PyTorch's `X[i: i + h, j: j + w]` is `X.index([i, i + h], [j, j + w])`.
   * Each argument is a number (picks one position and drops that dim), `[start, end]` or
   * `[start, end, step]` (a slice; a missing or null bound means the edge), `null` (`:`), or one
   * `"..."` (as many `:` as needed: `X[..., 1:]` is `X.index("...", [1, null])`). Returns a copy.
   */
  index(...indices: Index[]): Tensor {
    return wrap(readIndex(this, indices));
  }
  /** One element as a number: `t.get(i, j)`. */
  get(...position: number[]): number {
    if (position.length !== this.dim()) {
      throw new Error(`get() needs ${this.dim()} indices for a ${this.dim()}-d tensor, got ${position.length}`);
    }
    return wrap(readIndex(this, position)).item() as number;
  }
  /** PyTorch's `Y[i, j] = value` is `Y.set([i, j], value)`; writes in place and returns `this`. */
  set(indices: readonly Index[], value: Operand): this {
    writeIndex(this, indices, value);
    return this;
  }

  // ---- back to JS ----------------------------------------------------------------------
  /** Nested arrays of numbers (booleans for bool tensors), like `t.tolist()`. */
  tolist(): NestedList {
    const build = (dim: number, offset: number): NestedList => {
      if (dim === this.dim()) return this.scalarAt(offset);
      const stride = numelOf(this.shape.slice(dim + 1));
      return Array.from({ length: this.shape[dim] }, (_, i) => build(dim + 1, offset + i * stride));
    };
    return build(0, 0);
  }
  /** The single value of a one-element tensor. */
  item(): number | boolean {
    if (this.numel() !== 1) {
      throw new Error(`a Tensor with ${this.numel()} elements cannot be converted to Scalar`);
    }
    return this.scalarAt(0);
  }
  private scalarAt(offset: number): number | boolean {
    return this.dtype === "bool" ? this.data[offset] !== 0 : this.data[offset];
  }

  /** PyTorch's repr, character for character: `tensor([[4., 5.],\n        [7., 8.]])`. */
  toString(): string {
    return formatTensor(this.data, this.shape, this.dtype);
  }
  /** Node's console.log and the tslab kernel print through util.inspect. */
  [inspect.custom](): string {
    return this.data === DISPOSED ? "tensor(<disposed>)" : this.toString();
  }

  // ---- memory (for experts; never needed) ------------------------------------------------
  /**
   * Give this tensor's memory back now rather than when the garbage collector finds it unused,
   * like TensorFlow.js's `dispose()`. Nothing needs it: a loop of pooling calls keeps its speed
   * and bounded memory without it (docs/performance.md). Only for a tensor nothing else uses —
   * any later use of it (or of an array taken from its `.data`) is an error or reads memory that
   * belongs to another tensor. `using t = ...` (Symbol.dispose) calls it at the end of a block.
   */
  dispose(): void {
    if (this.data === DISPOSED) return;
    releaseStorage(this.data);
    (this as { data: Storage }).data = DISPOSED;
  }
}

// `using t = F.maxPool2d(...)` disposes t at the end of the block (Node 20+ has Symbol.dispose).
const disposeSymbol = (Symbol as { dispose?: symbol }).dispose;
if (disposeSymbol) {
  Object.defineProperty(Tensor.prototype, disposeSymbol, {
    value(this: Tensor) {
      this.dispose();
    },
  });
}
