/** Shapes, strides and broadcasting: the bookkeeping every tensor op shares. */

export type Shape = readonly number[];

export function numelOf(shape: Shape): number {
  return shape.reduce((product, size) => product * size, 1);
}

/** Row-major (C order) strides: the last dimension is contiguous. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = step;
    step *= shape[d];
  }
  return strides;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(", ")}]`;
}

/** Wrap a possibly negative dimension index the way PyTorch does, with its error message. */
export function normalizeDim(dim: number, rank: number): number {
  const low = Math.min(-rank, -1);
  const high = Math.max(rank - 1, 0);
  if (!Number.isInteger(dim) || dim < low || dim > high) {
    throw new Error(`Dimension out of range (expected to be in range of [${low}, ${high}], but got ${dim})`);
  }
  return dim < 0 ? dim + Math.max(rank, 1) : dim;
}

/** The broadcast shape of two shapes (numpy rules), or a PyTorch-worded error. */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const sa = a[a.length - rank + i] ?? 1;
    const sb = b[b.length - rank + i] ?? 1;
    if (sa !== sb && sa !== 1 && sb !== 1) {
      throw new Error(
        `The size of tensor a (${sa}) must match the size of tensor b (${sb}) at non-singleton dimension ${i}`,
      );
    }
    out[i] = sa === 1 ? sb : sa;
  }
  return out;
}

/**
 * For each flat position of `outShape`, the flat position in a tensor of shape `inShape`
 * that broadcasting reads from (size-1 dims repeat).
 */
export function broadcastIndex(inShape: Shape, outShape: Shape): Int32Array {
  const total = numelOf(outShape);
  const map = new Int32Array(total);
  const inStrides = stridesOf(inShape);
  const offset = outShape.length - inShape.length;
  const counter = new Array<number>(outShape.length).fill(0);
  for (let flat = 0; flat < total; flat++) {
    let source = 0;
    for (let d = 0; d < inShape.length; d++) {
      if (inShape[d] !== 1) source += counter[d + offset] * inStrides[d];
    }
    map[flat] = source;
    for (let d = outShape.length - 1; d >= 0; d--) {
      if (++counter[d] < outShape[d]) break;
      counter[d] = 0;
    }
  }
  return map;
}

/** Resolve a reshape request (one entry may be -1) against a number of elements. */
export function inferShape(requested: Shape, numel: number): number[] {
  const unknown = requested.indexOf(-1);
  if (requested.lastIndexOf(-1) !== unknown) throw new Error("only one dimension can be inferred");
  for (const size of requested) {
    if (!Number.isInteger(size) || size < -1) throw new Error(`invalid shape dimension ${size}`);
  }
  const known = requested.reduce((p, s) => (s === -1 ? p : p * s), 1);
  const shape = [...requested];
  if (unknown >= 0) {
    if (known === 0 || numel % known !== 0) {
      throw new Error(`shape '${formatShape(requested)}' is invalid for input of size ${numel}`);
    }
    shape[unknown] = numel / known;
  } else if (known !== numel) {
    throw new Error(`shape '${formatShape(requested)}' is invalid for input of size ${numel}`);
  }
  return shape;
}
