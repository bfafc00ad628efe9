import { DType, isFloating, scalarTypeName } from "./dtype";
import { normalizeDim, numelOf } from "./shape";
import { Dense, allocate } from "./storage";

export type ReduceName = "sum" | "mean" | "max" | "min" | "argmax" | "argmin";

/**
 * One reduction over a run of values. Sums accumulate in double and round once at the end:
 * PyTorch's own float32 sum is vectorized and pairwise, so only "within float32 rounding"
 * is promised for sum/mean; max/min/argmax are exact (NaN wins; the first extreme wins ties).
 */
function reduceRun(values: number[], name: ReduceName): number {
  switch (name) {
    case "sum":
      return values.reduce((s, v) => s + v, 0);
    case "mean":
      return values.reduce((s, v) => s + v, 0) / values.length;
    case "max":
    case "min":
      return values[extremeIndex(values, name === "max")];
    case "argmax":
    case "argmin":
      return extremeIndex(values, name === "argmax");
  }
}

function extremeIndex(values: number[], largest: boolean): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) {
    if (Number.isNaN(values[best])) break;
    const v = values[i];
    if (Number.isNaN(v) || (largest ? v > values[best] : v < values[best])) best = i;
  }
  return best;
}

function resultType(name: ReduceName, dtype: DType): DType {
  if (name === "argmax" || name === "argmin") return "int64";
  if (name === "mean" && !isFloating(dtype)) {
    throw new Error(
      `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${scalarTypeName(dtype)}`,
    );
  }
  if (name === "sum" && dtype === "bool") return "int64";
  return dtype;
}

export function reduce(x: Dense, name: ReduceName, dim: number | undefined, keepdim: boolean): Dense {
  const dtype = resultType(name, x.dtype);
  const needsValues = name !== "sum" && name !== "mean";
  if (needsValues && x.data.length === 0) {
    throw new Error(`${name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
  }
  if (dim === undefined) {
    const out = allocate(dtype, 1);
    out[0] = reduceRun(Array.from(x.data), name);
    const shape = keepdim ? x.shape.map(() => 1) : [];
    return { data: out, shape, dtype };
  }
  const rank = x.shape.length;
  const d = normalizeDim(dim, rank);
  const outer = numelOf(x.shape.slice(0, d));
  const size = x.shape[d] ?? 1;
  const inner = numelOf(x.shape.slice(d + 1));
  const out = allocate(dtype, outer * inner);
  const xs = x.data; // read once: a tensor's data is a getter
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const run = Array.from({ length: size }, (_, k) => xs[(o * size + k) * inner + i]);
      out[o * inner + i] = reduceRun(run, name);
    }
  }
  const shape = [...x.shape];
  if (keepdim) shape[d] = 1;
  else shape.splice(d, 1);
  return { data: out, shape: rank === 0 ? [] : shape, dtype };
}
