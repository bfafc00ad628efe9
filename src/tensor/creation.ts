import { DType, Storage, castValue, isDType, promote } from "./dtype";
import { allocate } from "./storage";
import { formatShape, normalizeDim, numelOf } from "./shape";
import { NestedList, Tensor } from "./tensor";
import { normalValues, uniformValues } from "./random";

export interface DTypeOption {
  dtype?: DType;
}

type NestedInput = number | boolean | readonly NestedInput[];
export type TensorData = NestedInput | ArrayLike<number> | Storage;

function checkDType(dtype: DType | undefined): void {
  if (dtype !== undefined && !isDType(dtype)) {
    throw new Error(`unknown dtype ${String(dtype)}; use one of "float32", "float64", "int64", "bool"`);
  }
}

function isTypedArray(data: unknown): data is ArrayLike<number> & { BYTES_PER_ELEMENT: number } {
  return ArrayBuffer.isView(data) && !(data instanceof DataView);
}

/** The dtype PyTorch would pick for a typed array (float32 for JS numbers: see `tensor`). */
function typedArrayDType(data: ArrayLike<number>): DType {
  if (data instanceof Float64Array) return "float64";
  if (data instanceof Float32Array) return "float32";
  return "int64";
}

/** Walk nested arrays: their shape (checking it is rectangular) and flat values. */
function flattenNested(data: NestedInput): { shape: number[]; values: (number | boolean)[] } {
  const shape: number[] = [];
  for (let level: NestedInput = data; Array.isArray(level); level = (level as NestedInput[])[0]) {
    shape.push((level as NestedInput[]).length);
    if ((level as NestedInput[]).length === 0) break;
  }
  const values: (number | boolean)[] = [];
  const walk = (node: NestedInput, dim: number): void => {
    if (dim === shape.length) {
      if (Array.isArray(node)) throw new Error(`expected a number at dim ${dim}, got a nested array`);
      if (typeof node !== "number" && typeof node !== "boolean") {
        throw new Error(`torch.tensor accepts numbers and booleans, got ${typeof node} (${String(node)})`);
      }
      values.push(node as number | boolean);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[dim]) {
      const got = Array.isArray(node) ? node.length : "a number";
      throw new Error(`expected sequence of length ${shape[dim]} at dim ${dim} (got ${got})`);
    }
    for (const child of node as NestedInput[]) walk(child, dim + 1);
  };
  walk(data, 0);
  return { shape, values };
}

/**
 * `torch.tensor(data, { dtype })` from nested arrays, a flat array or a typed array.
 * JS has one number type, so `1` and `1.0` cannot be told apart: numbers give float32
 * (PyTorch's default float type) unless you ask for `{ dtype: "int64" }`; booleans give bool.
 */
export function tensor(data: TensorData, options: DTypeOption = {}): Tensor {
  checkDType(options.dtype);
  if (isTypedArray(data)) {
    const dtype = options.dtype ?? typedArrayDType(data);
    const out = allocate(dtype, data.length, false);
    if (dtype === "float32" || dtype === "float64") out.set(data); // rounds as castValue does, in one pass
    else for (let i = 0; i < data.length; i++) out[i] = castValue(data[i], dtype);
    return new Tensor(out, [data.length], dtype);
  }
  const { shape, values } = flattenNested(data as NestedInput);
  const allBool = values.length > 0 && values.every((v) => typeof v === "boolean");
  const dtype = options.dtype ?? (allBool ? "bool" : "float32");
  const out = allocate(dtype, values.length);
  values.forEach((v, i) => (out[i] = castValue(Number(v), dtype)));
  return new Tensor(out, shape, dtype);
}

/**
 * `torch.arange(end)` or `torch.arange(start, end, step)`; options may come last.
 * Integer arguments give int64 like PyTorch; pass `{ dtype: "float32" }` for floats.
 */
export function arange(...args: (number | DTypeOption)[]): Tensor {
  const options = typeof args[args.length - 1] === "object" ? (args.pop() as DTypeOption) : {};
  checkDType(options.dtype);
  const numbers = args as number[];
  if (numbers.length < 1 || numbers.length > 3 || numbers.some((n) => typeof n !== "number")) {
    throw new Error("arange expects (end), (start, end) or (start, end, step), optionally followed by { dtype }");
  }
  const [start, end, step] = numbers.length === 1 ? [0, numbers[0], 1] : [numbers[0], numbers[1], numbers[2] ?? 1];
  if (step === 0) throw new Error("step must be nonzero");
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new Error(`unsupported range: ${start} -> ${end}`);
  if ((end - start) / step < 0) {
    throw new Error("upper bound and larger bound inconsistent with step sign");
  }
  const dtype = options.dtype ?? (numbers.every(Number.isInteger) ? "int64" : "float32");
  const length = Math.ceil((end - start) / step);
  const out = allocate(dtype, length);
  for (let i = 0; i < length; i++) out[i] = castValue(start + i * step, dtype);
  return new Tensor(out, [length], dtype);
}

type ShapeArgs = (number | readonly number[] | DTypeOption)[];

/** Accept `f(2, 3)`, `f([2, 3])`, each optionally followed by `{ dtype }`. */
function parseShapeArgs(args: ShapeArgs): { shape: number[]; dtype: DType } {
  const last = args[args.length - 1];
  const options = last !== undefined && typeof last === "object" && !Array.isArray(last) ? (args.pop() as DTypeOption) : {};
  checkDType(options.dtype);
  const shape = args.length === 1 && Array.isArray(args[0]) ? [...(args[0] as number[])] : (args as number[]);
  for (const size of shape) {
    if (!Number.isInteger(size) || size < 0) {
      throw new Error(`Trying to create tensor with negative dimension ${size}: [${shape.join(", ")}]`);
    }
  }
  return { shape, dtype: options.dtype ?? "float32" };
}

/**
 * `torch.full(shape, value)`. As with `torch.tensor`, a JS number cannot say whether it was
 * written `7` or `7.0`, so numbers give float32 and booleans bool unless `{ dtype }` says otherwise.
 */
export function full(shape: readonly number[], value: number | boolean, options: DTypeOption = {}): Tensor {
  const parsed = parseShapeArgs([shape, options]);
  const dtype = options.dtype ?? (typeof value === "boolean" ? "bool" : "float32");
  const out = allocate(dtype, numelOf(parsed.shape), false).fill(castValue(Number(value), dtype));
  return new Tensor(out, parsed.shape, dtype);
}

export function zeros(...args: ShapeArgs): Tensor {
  const { shape, dtype } = parseShapeArgs(args);
  return new Tensor(allocate(dtype, numelOf(shape)), shape, dtype);
}

export function ones(...args: ShapeArgs): Tensor {
  const { shape, dtype } = parseShapeArgs(args);
  return new Tensor(allocate(dtype, numelOf(shape), false).fill(1), shape, dtype);
}

export function zerosLike(x: Tensor): Tensor {
  return zeros([...x.shape], { dtype: x.dtype });
}

export function onesLike(x: Tensor): Tensor {
  return ones([...x.shape], { dtype: x.dtype });
}

/** Random numbers come in floating dtypes only, as PyTorch's rand/randn. */
function randomDType(dtype: DType, fn: string): "float32" | "float64" {
  if (dtype !== "float32" && dtype !== "float64") {
    throw new Error(`"${fn}" is only defined for floating dtypes (float32, float64), got ${dtype}`);
  }
  return dtype;
}

/** Uniform [0, 1), the same numbers PyTorch draws after the same `manualSeed`. */
export function rand(...args: ShapeArgs): Tensor {
  const { shape, dtype } = parseShapeArgs(args);
  const kind = randomDType(dtype, "rand");
  return new Tensor(uniformValues(numelOf(shape), kind), shape, kind);
}

/** Standard normal, PyTorch's numbers after the same `manualSeed` (to rounding of libm's log/cos/sin). */
export function randn(...args: ShapeArgs): Tensor {
  const { shape, dtype } = parseShapeArgs(args);
  const kind = randomDType(dtype, "randn");
  return new Tensor(normalValues(numelOf(shape), kind), shape, kind);
}

/** `torch.cat(tensors, dim)`: join along an existing dimension. */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new Error("torch.cat(): expected a non-empty list of Tensors");
  const first = tensors[0];
  const d = normalizeDim(dim, first.dim());
  tensors.forEach((t, i) => {
    if (t.dim() !== first.dim()) {
      throw new Error(
        `Tensors must have same number of dimensions: got ${first.dim()} and ${t.dim()}`,
      );
    }
    t.shape.forEach((size, k) => {
      if (k !== d && size !== first.shape[k]) {
        throw new Error(
          `Sizes of tensors must match except in dimension ${d}. Expected size ${first.shape[k]} but got size ${size} for tensor number ${i} in the list.`,
        );
      }
    });
  });
  if (first.dim() === 0) throw new Error("zero-dimensional tensor (at position 0) cannot be concatenated");
  const dtype = tensors.map((t) => t.dtype).reduce(promote);
  const outer = numelOf(first.shape.slice(0, d));
  const inner = numelOf(first.shape.slice(d + 1));
  const shape = [...first.shape];
  shape[d] = tensors.reduce((sum, t) => sum + t.shape[d], 0);
  const out = allocate(dtype, numelOf(shape));
  let offset = 0;
  for (let o = 0; o < outer; o++) {
    for (const t of tensors) {
      const block = t.shape[d] * inner;
      const ts = t.data;
      for (let i = 0; i < block; i++) out[offset++] = castValue(ts[o * block + i], dtype);
    }
  }
  return new Tensor(out, shape, dtype);
}

/** `torch.stack(tensors, dim)`: join along a new dimension. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new Error("stack expects a non-empty TensorList");
  const first = tensors[0];
  tensors.forEach((t, i) => {
    if (t.shape.join() !== first.shape.join()) {
      throw new Error(
        `stack expects each tensor to be equal size, but got ${formatShape(first.shape)} at entry 0 and ${formatShape(t.shape)} at entry ${i}`,
      );
    }
  });
  const d = normalizeDim(dim, first.dim() + 1);
  const expanded = tensors.map((t) => t.reshape([...t.shape.slice(0, d), 1, ...t.shape.slice(d)]));
  return cat(expanded, d);
}

export type { NestedList };
