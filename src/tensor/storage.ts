import { DType, Storage } from "./dtype";
import { tensorArray } from "./heap";

/**
 * A tensor's data, and the plain record the tensor core's ops work on.
 *
 * The layers of src/tensor, lowest first: dtype, shape, heap → storage → ops, reduce, indexing
 * (functions on `Dense` records) → tensor (the Tensor class, which wraps what they return) →
 * creation. No file imports one above it (test/unit/layers.test.ts checks there is no cycle).
 */

/** What the ops under Tensor read and return: data, shape and dtype, no methods. */
export interface Dense {
  readonly data: Storage;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** Whether a value is a tensor (any object with typed-array data and a shape). */
export function isDense(value: unknown): value is Dense {
  const v = value as Dense;
  return typeof value === "object" && value !== null && ArrayBuffer.isView(v.data) && Array.isArray(v.shape);
}

/**
 * A zero-filled array able to hold `length` elements of `dtype`. Big float arrays (64 KiB and up)
 * live in the WebAssembly heap (./heap.ts), where the fast pooling kernels read them in place;
 * they are ordinary Float32Array / Float64Array objects all the same. `zero: false` is for
 * callers that write every element.
 */
export function allocate(dtype: DType, length: number, zero = true): Storage {
  switch (dtype) {
    case "float32":
      return tensorArray(Float32Array, length, zero) ?? new Float32Array(length);
    case "float64":
    case "int64":
      return tensorArray(Float64Array, length, zero) ?? new Float64Array(length);
    case "bool":
      return new Uint8Array(length);
  }
}

/** A copy of a tensor's data in the same kind of array, placed as `allocate` places it. */
export function copyStorage(data: Storage, dtype: DType): Storage {
  const out = allocate(dtype, data.length, false);
  out.set(data);
  return out;
}
