/**
 * `toEqual` on tensors compares dtype, shape and every value as the chapter means them: as Object.is
 * (so -0 ≠ 0), with every NaN equal to every NaN — not the storage's bytes (two NaNs may differ in
 * their bits) nor its type (int64 and float64 share Float64Array storage).
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
