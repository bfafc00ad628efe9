/**
 * `toEqual` on tensors compares dtype, shape and every value. A tensor keeps its values in a private
 * field behind the `data` getter (src/tensor/tensor.ts), and vitest's structural equality looks only
 * at own properties — without this, `expect(a).toEqual(b)` would compare shapes and dtypes alone.
 * Values compare as Object.is (so -0 ≠ 0), with NaN equal to NaN.
 */
import { expect } from "vitest";

interface TensorLike {
  shape: readonly number[];
  dtype: string;
  data: ArrayLike<number>;
}

const isTensor = (v: unknown): v is TensorLike =>
  typeof v === "object" && v !== null && (v as { constructor?: { name?: string } }).constructor?.name === "Tensor" && "dtype" in v && "shape" in v;

expect.addEqualityTesters([
  function tensorsEqual(a: unknown, b: unknown): boolean | undefined {
    if (!isTensor(a) && !isTensor(b)) return undefined;
    if (!isTensor(a) || !isTensor(b)) return false;
    if (a.dtype !== b.dtype || a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) return false;
    const x = a.data;
    const y = b.data;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i]) && !(Number.isNaN(x[i]) && Number.isNaN(y[i]))) return false;
    return true;
  },
]);
