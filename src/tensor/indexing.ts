import { castValue } from "./dtype";
import { broadcastIndex, formatShape, stridesOf } from "./shape";
import { Dense, allocate, isDense } from "./storage";

/**
 * One entry of an index, mirroring Python's subscripts:
 *   `i`                → a number (that dimension disappears),
 *   `a:b` / `a:b:s`    → `[a, b]` / `[a, b, s]` (a null or missing bound means the edge),
 *   `:`                → `null`,
 *   `...`              → `"..."`: as many `:` as the other entries leave dimensions
 *                        (`X[..., 1:]` is `X.index("...", [1, null])` for any number of dimensions).
 */
export type Index = number | null | "..." | readonly [start?: number | null, end?: number | null, step?: number];

interface Selection {
  positions: number[]; // which positions of this dimension are read
  keep: boolean; // slices keep the dimension, single numbers drop it
}

function selectDim(entry: Index | undefined, size: number, dim: number): Selection {
  if (entry === null || entry === undefined) return { positions: range(0, size, 1), keep: true };
  if (typeof entry === "string") {
    throw new Error(`index ${JSON.stringify(entry)} is not understood: use "..." for an ellipsis, null for ':', [a, b] for 'a:b'`);
  }
  if (typeof entry === "number") {
    if (!Number.isInteger(entry) || entry < -size || entry >= size) {
      throw new Error(`index ${entry} is out of bounds for dimension ${dim} with size ${size}`);
    }
    return { positions: [entry < 0 ? entry + size : entry], keep: false };
  }
  const [start, end, step = 1] = entry;
  if (!Number.isInteger(step) || step <= 0) throw new Error("slice step must be a positive integer");
  // Python slice bounds: negative counts from the end, anything past the edges is clamped.
  const clamp = (bound: number) => Math.min(Math.max(bound < 0 ? bound + size : bound, 0), size);
  return { positions: range(clamp(start ?? 0), clamp(end ?? size), step), keep: true };
}

function range(start: number, end: number, step: number): number[] {
  const out: number[] = [];
  for (let i = start; i < end; i += step) out.push(i);
  return out;
}

/** For each element of the selection (row-major), its flat offset in `x`, plus the result shape. */
function resolve(x: Dense, given: readonly Index[]): { offsets: number[]; shape: number[] } {
  const indices = withoutEllipsis(given, x.shape.length);
  if (indices.length > x.shape.length) {
    throw new Error(`too many indices for tensor of dimension ${x.shape.length}`);
  }
  const selections = x.shape.map((size, d) => selectDim(indices[d], size, d));
  const strides = stridesOf(x.shape);
  let offsets = [0];
  selections.forEach((sel, d) => {
    offsets = offsets.flatMap((base) => sel.positions.map((p) => base + p * strides[d]));
  });
  const shape = selections.filter((s) => s.keep).map((s) => s.positions.length);
  return { offsets, shape };
}

/**
 * `"..."` replaced by the `:`s it stands for. Only one is allowed, as in NumPy ("an index can only have
 * a single ellipsis"); PyTorch accepts several without saying what they mean (pytorch/pytorch#59787).
 */
function withoutEllipsis(indices: readonly Index[], dim: number): readonly Index[] {
  const at = indices.indexOf("...");
  if (at === -1) return indices;
  if (indices.indexOf("...", at + 1) !== -1) throw new Error("an index can only have a single ellipsis ('...')");
  const fill = Math.max(0, dim - (indices.length - 1));
  return [...indices.slice(0, at), ...Array<Index>(fill).fill(null), ...indices.slice(at + 1)];
}

export function readIndex(x: Dense, indices: readonly Index[]): Dense {
  const { offsets, shape } = resolve(x, indices);
  const out = allocate(x.dtype, offsets.length);
  const xs = x.data; // read once: a tensor's data is a getter
  offsets.forEach((offset, i) => (out[i] = xs[offset]));
  return { data: out, shape, dtype: x.dtype };
}

/** Assign `value` (a number, or a tensor broadcastable to the selection) into `x` in place. */
export function writeIndex(x: Dense, indices: readonly Index[], value: Dense | number | boolean): void {
  const { offsets, shape } = resolve(x, indices);
  if (!isDense(value)) {
    const v = castValue(Number(value), x.dtype);
    const xs = x.data;
    for (const offset of offsets) xs[offset] = v;
    return;
  }
  checkExpandable(value.shape, shape);
  // Dropping the value's extra leading size-1 dims leaves its data unchanged.
  const source = broadcastIndex(value.shape.slice(Math.max(0, value.shape.length - shape.length)), shape);
  const xs = x.data;
  const vs = value.data;
  offsets.forEach((offset, i) => (xs[offset] = castValue(vs[source[i]], x.dtype)));
}

/**
 * The value must broadcast to exactly the selection's shape (PyTorch's `expand`); leading
 * size-1 dims of the value may be dropped. Otherwise PyTorch's expand message.
 */
function checkExpandable(from: readonly number[], to: readonly number[]): void {
  const extra = from.length - to.length;
  const fail = (dim: number) => {
    throw new Error(
      `The expanded size of the tensor (${to[dim] ?? 1}) must match the existing size (${from[dim + extra] ?? 1}) at non-singleton dimension ${dim}.  Target sizes: ${formatShape(to)}.  Tensor sizes: ${formatShape(from.slice(Math.max(0, extra)))}`,
    );
  };
  if (from.slice(0, Math.max(0, extra)).some((s) => s !== 1)) {
    throw new Error(
      `shape mismatch: value tensor of shape ${formatShape(from)} cannot be broadcast to indexing result of shape ${formatShape(to)}`,
    );
  }
  for (let d = 0; d < to.length; d++) {
    const s = from[d + extra];
    if (s !== undefined && s !== 1 && s !== to[d]) fail(d);
  }
}
