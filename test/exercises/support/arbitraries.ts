/**
 * Random pooling cases for fast-check: a window geometry PyTorch accepts (padding ≤ half the window),
 * and an input big enough for at least one output.
 */
import fc from "fast-check";
import { Tensor } from "d2l-pooling";

export interface Geometry {
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
}

export interface GeometryOptions {
  maxKernel?: number;
  maxStride?: number;
  padding?: boolean;
  /** false: stride = window (pooling's default). */
  stride?: boolean;
}

export function geometry(o: GeometryOptions = {}): fc.Arbitrary<Geometry> {
  const maxK = o.maxKernel ?? 3;
  const maxS = o.maxStride ?? 3;
  const dim = fc.integer({ min: 1, max: maxK }).chain((k) =>
    fc.record({
      k: fc.constant(k),
      s: o.stride === false ? fc.constant(k) : fc.integer({ min: 1, max: maxS }),
      p: o.padding === false ? fc.constant(0) : fc.integer({ min: 0, max: Math.floor(k / 2) }),
    }),
  );
  return fc.tuple(dim, dim).map(([h, w]) => ({ kh: h.k, kw: w.k, sh: h.s, sw: w.s, ph: h.p, pw: w.p }));
}

export type Values = "quarters" | "floats";

export interface InputOptions {
  /** Rank 4 (N, C, H, W) or 3 (C, H, W); default either. */
  rank?: 3 | 4;
  maxBatch?: number;
  maxChannels?: number;
  /** Extra rows/columns beyond the smallest input with one output. */
  maxExtra?: number;
  dtype?: "float32" | "float64";
  /** "quarters": multiples of 0.25 in [-10, 10] (ties are common); "floats": any double in [-10, 10]. */
  values?: Values;
}

export function value(kind: Values = "quarters"): fc.Arbitrary<number> {
  return kind === "quarters"
    ? fc.integer({ min: -40, max: 40 }).map((v) => v / 4)
    : fc.double({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true });
}

/** A tensor of the given shape with random values. */
export function tensorOf(shape: number[], o: Pick<InputOptions, "dtype" | "values"> = {}): fc.Arbitrary<Tensor> {
  const n = shape.reduce((p, d) => p * d, 1);
  const dtype = o.dtype ?? "float32";
  return fc.array(value(o.values), { minLength: n, maxLength: n }).map((vals) => {
    const data = dtype === "float32" ? Float32Array.from(vals) : Float64Array.from(vals);
    return new Tensor(data, shape, dtype);
  });
}

/** An input of rank 3 or 4 that `g` pools to at least one output. */
export function inputFor(g: Geometry, o: InputOptions = {}): fc.Arbitrary<Tensor> {
  const extra = o.maxExtra ?? 4;
  const rank = o.rank ? fc.constant(o.rank) : fc.constantFrom(3, 4);
  return fc
    .record({
      rank,
      n: fc.integer({ min: 1, max: o.maxBatch ?? 2 }),
      c: fc.integer({ min: 1, max: o.maxChannels ?? 2 }),
      h: fc.integer({ min: Math.max(1, g.kh - 2 * g.ph), max: Math.max(1, g.kh - 2 * g.ph) + extra }),
      w: fc.integer({ min: Math.max(1, g.kw - 2 * g.pw), max: Math.max(1, g.kw - 2 * g.pw) + extra }),
    })
    .chain(({ rank: r, n, c, h, w }) => tensorOf(r === 4 ? [n, c, h, w] : [c, h, w], o));
}

/** A geometry and an input it pools. */
export function poolCase(go: GeometryOptions = {}, io: InputOptions = {}): fc.Arbitrary<{ g: Geometry; X: Tensor }> {
  return geometry(go).chain((g) => inputFor(g, io).map((X) => ({ g, X })));
}
