/**
 * Property tests of the pooling ops (fast-check, fixed seed so every run checks the same cases).
 *
 * Each property compares the library against an INDEPENDENT statement written out in this file:
 * PyTorch's output-size formula, brute-force definitions of max / min / average pooling over the
 * padded window, the other public function that must agree (layer vs functional, adaptive vs plain,
 * teaching pool2d vs F, conv2d vs corr2d / avg pool), conservation of gradient mass, and finite
 * differences. Nothing here compares the code with its own output captured earlier.
 *
 * Padding is PER SIDE everywhere (PyTorch's convention).
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { F, Tensor, conv2d, corr2d, nn, pool2d, torch } from "../../src/index";

const SEED = 42;

// ---------------------------------------------------------------------------------------------
// Generators

/**
 * One spatial dimension's pooling geometry: kernel, stride, dilation, padding ≤ half the kernel
 * (PyTorch 2.13 refuses more, dilated or not: test/fixtures' padding × dilation grid).
 */
interface DimGeo {
  k: number;
  s: number;
  d: number;
  p: number;
}

const dimGeo = (maxDilation: number, maxStride = 3): fc.Arbitrary<DimGeo> =>
  fc
    .record({
      k: fc.integer({ min: 1, max: 4 }),
      s: fc.integer({ min: 1, max: maxStride }),
      d: fc.integer({ min: 1, max: maxDilation }),
    })
    .chain(({ k, s, d }) =>
      fc.integer({ min: 0, max: Math.floor(k / 2) }).map((p) => ({ k, s, d, p })),
    );

/** The smallest input size that still gives at least one output: in + 2p ≥ d(k − 1) + 1. */
const minInput = (g: DimGeo): number => Math.max(1, (g.k - 1) * g.d + 1 - 2 * g.p);

/** Which non-finite values may appear: NaN and ±Infinity, only ±Infinity, or none. */
type Special = "all" | "inf" | "none";

/** Element values: mostly small integers (ties!) and floats, sometimes NaN / ±Infinity. */
const elementValue = (special: Special): fc.Arbitrary<number> =>
  fc.oneof(
    { arbitrary: fc.integer({ min: -3, max: 3 }), weight: 5 },
    { arbitrary: fc.float({ min: -100, max: 100, noNaN: true }), weight: 4 },
    {
      arbitrary:
        special === "all" ? fc.constantFrom(NaN, Infinity, -Infinity)
        : special === "inf" ? fc.constantFrom(Infinity, -Infinity)
        : fc.integer({ min: -3, max: 3 }),
      weight: 1,
    },
  );

/** Leading dims: (C,) for a 3-D input or (N, C) for a 4-D one. */
const leadingDims = fc.constantFrom<number[]>([1], [2], [1, 1], [2, 1], [1, 2], [2, 2]);

/** A float32 tensor of the given shape with generated values. */
const float32Tensor = (shape: readonly number[], special: Special = "all"): fc.Arbitrary<Tensor> => {
  const n = shape.reduce((a, b) => a * b, 1);
  return fc
    .array(elementValue(special), { minLength: n, maxLength: n })
    .map((values) => torch.tensor(Float32Array.from(values)).reshape([...shape]));
};

/** A smooth float64 tensor (no ties, no specials) for finite-difference checks. */
const float64Tensor = (shape: readonly number[], min: number, max: number): fc.Arbitrary<Tensor> => {
  const n = shape.reduce((a, b) => a * b, 1);
  return fc
    .array(fc.double({ min, max, noNaN: true }), { minLength: n, maxLength: n })
    .map((values) => torch.tensor(Float64Array.from(values)));
};

interface PoolCase {
  h: DimGeo;
  w: DimGeo;
  ceil: boolean;
  /** pass int-or-pair arguments as a single number when both sides agree, and leave stride out when it equals the kernel */
  short: boolean;
  x: Tensor;
}

function poolCase(options: { maxDilation?: number; special?: Special; dim?: fc.Arbitrary<DimGeo>; ceil?: fc.Arbitrary<boolean> } = {}): fc.Arbitrary<PoolCase> {
  const dim = options.dim ?? dimGeo(options.maxDilation ?? 1);
  return fc
    .record({ h: dim, w: dim, ceil: options.ceil ?? fc.boolean(), short: fc.boolean(), lead: leadingDims })
    .chain((c) =>
      fc
        .record({
          H: fc.integer({ min: minInput(c.h), max: minInput(c.h) + 5 }),
          W: fc.integer({ min: minInput(c.w), max: minInput(c.w) + 5 }),
        })
        .chain(({ H, W }) => float32Tensor([...c.lead, H, W], options.special ?? "all"))
        .map((x) => ({ h: c.h, w: c.w, ceil: c.ceil, short: c.short, x })),
    );
}

const pairArg = (a: number, b: number, short: boolean): number | [number, number] => (short && a === b ? a : [a, b]);

function kernelOf(c: PoolCase): number | [number, number] {
  return pairArg(c.h.k, c.w.k, c.short);
}

function maxOptions(c: PoolCase) {
  const strideIsKernel = c.h.s === c.h.k && c.w.s === c.w.k;
  return {
    ...(c.short && strideIsKernel ? {} : { stride: pairArg(c.h.s, c.w.s, c.short) }),
    padding: pairArg(c.h.p, c.w.p, c.short),
    dilation: pairArg(c.h.d, c.w.d, c.short),
    ceilMode: c.ceil,
  };
}

function avgOptions(c: PoolCase) {
  const { dilation: _unused, ...rest } = maxOptions(c);
  return rest;
}

// ---------------------------------------------------------------------------------------------
// Independent statements

/** PyTorch's output size, written out: floor((in + 2p − d(k−1) − 1 [+ s−1]) / s) + 1, then the ceil-mode drop rule. */
function expectedOutSize(inSize: number, g: DimGeo, ceil: boolean): number {
  let out = Math.floor((inSize + 2 * g.p - g.d * (g.k - 1) - 1 + (ceil ? g.s - 1 : 0)) / g.s) + 1;
  // with ceil_mode the last window must start inside the input or the left padding
  if (ceil && (out - 1) * g.s >= inSize + g.p) out -= 1;
  return out;
}

interface Plane {
  planes: number;
  H: number;
  W: number;
}

function planesOf(x: Tensor): Plane {
  const s = x.shape;
  return { planes: s.slice(0, -2).reduce((a, b) => a * b, 1), H: s[s.length - 2], W: s[s.length - 1] };
}

/** The real (non-padding) cells of a window, row-major, as flat indices within the plane. */
function windowCells(oh: number, ow: number, c: { h: DimGeo; w: DimGeo }, H: number, W: number): number[] {
  const cells: number[] = [];
  for (let i = 0; i < c.h.k; i++) {
    for (let j = 0; j < c.w.k; j++) {
      const h = oh * c.h.s - c.h.p + i * c.h.d;
      const w = ow * c.w.s - c.w.p + j * c.w.d;
      if (h >= 0 && h < H && w >= 0 && w < W) cells.push(h * W + w);
    }
  }
  return cells;
}

/** Number of window cells inside the padded input [−p, in + p) (count_include_pad's divisor). */
function paddedWindowCount(oh: number, ow: number, c: { h: DimGeo; w: DimGeo }, H: number, W: number): number {
  let count = 0;
  for (let i = 0; i < c.h.k; i++) {
    for (let j = 0; j < c.w.k; j++) {
      const h = oh * c.h.s - c.h.p + i;
      const w = ow * c.w.s - c.w.p + j;
      if (h >= -c.h.p && h < H + c.h.p && w >= -c.w.p && w < W + c.w.p) count++;
    }
  }
  return count;
}

interface BruteWindow {
  plane: number;
  out: number; // flat output position within the whole output
  cells: number[]; // real cells, flat within the plane
}

function* bruteWindows(x: Tensor, c: { h: DimGeo; w: DimGeo; ceil: boolean }): Generator<BruteWindow & { oh: number; ow: number }> {
  const { planes, H, W } = planesOf(x);
  const outH = expectedOutSize(H, c.h, c.ceil);
  const outW = expectedOutSize(W, c.w, c.ceil);
  for (let plane = 0; plane < planes; plane++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        yield { plane, out: (plane * outH + oh) * outW + ow, oh, ow, cells: windowCells(oh, ow, c, H, W) };
      }
    }
  }
}

/**
 * Max pooling by definition: padding never wins (it is −∞); if any cell is NaN the result is NaN
 * and the index is the LAST NaN; otherwise the maximum, indexed by the FIRST cell holding it.
 * An all-padding window (possible only with dilation) gives −∞ and no defined index.
 */
function bruteMax(values: ArrayLike<number>, planeOffset: number, cells: number[]): { value: number; index: number | null } {
  if (cells.length === 0) return { value: -Infinity, index: null };
  const nanCells = cells.filter((cell) => Number.isNaN(values[planeOffset + cell]));
  if (nanCells.length > 0) return { value: NaN, index: nanCells[nanCells.length - 1] };
  const max = Math.max(...cells.map((cell) => values[planeOffset + cell]));
  return { value: max, index: cells.find((cell) => values[planeOffset + cell] === max)! };
}

/** Min pooling by definition (NaN wins; padding never wins). */
function bruteMin(values: ArrayLike<number>, planeOffset: number, cells: number[]): number {
  if (cells.length === 0) return Infinity;
  if (cells.some((cell) => Number.isNaN(values[planeOffset + cell]))) return NaN;
  return Math.min(...cells.map((cell) => values[planeOffset + cell]));
}

// ---------------------------------------------------------------------------------------------
// Comparisons

/** Same number: NaN equals NaN, +0 equals −0. */
const same = (a: number, b: number): boolean => (Number.isNaN(a) && Number.isNaN(b)) || a === b;

function expectSameTensor(actual: Tensor, expected: Tensor): void {
  expect(actual).toBeInstanceOf(Tensor);
  expect(actual.dtype).toBe(expected.dtype);
  expect([...actual.shape]).toEqual([...expected.shape]);
  for (let i = 0; i < expected.numel(); i++) {
    // bit-for-bit: the layer and the function must run the same computation
    if (!Object.is(actual.data[i], expected.data[i])) {
      throw new Error(`element ${i}: ${actual.data[i]} !== ${expected.data[i]}`);
    }
  }
}

/** |a − b| ≤ tol, with non-finite expectations matched exactly. */
function expectClose(actual: number, expected: number, tol: number, what: string): void {
  if (!Number.isFinite(expected)) {
    if (!same(actual, expected)) throw new Error(`${what}: got ${actual}, expected ${expected}`);
    return;
  }
  if (!(Math.abs(actual - expected) <= tol)) {
    throw new Error(`${what}: got ${actual}, expected ${expected} (tolerance ${tol})`);
  }
}

/** Float32 relative rounding allowance for a sum/mean of a few (≤ 16) terms. */
const F32_REL = 4e-6;
/** ... applied to the terms' magnitudes `scale`, plus a few float32 subnormal steps (2^-149 each). */
const f32Tol = (scale: number): number => F32_REL * scale + 2 ** -147;

const sumOf = (t: Tensor): number => Array.from(t.data).reduce((a, b) => a + b, 0);
const absSumOf = (t: Tensor): number => Array.from(t.data).reduce((a, b) => a + Math.abs(b), 0);

/** A gradient tensor of small integers (exact sums) shaped like `shape`. */
const smallIntGrad = (shape: readonly number[]): fc.Arbitrary<Tensor> => {
  const n = shape.reduce((a, b) => a * b, 1);
  return fc
    .array(fc.integer({ min: -3, max: 3 }), { minLength: n, maxLength: n })
    .map((v) => torch.tensor(Float32Array.from(v)).reshape([...shape]));
};

const outShapeOf = (c: PoolCase): number[] => {
  const { H, W } = planesOf(c.x);
  return [...c.x.shape.slice(0, -2), expectedOutSize(H, c.h, c.ceil), expectedOutSize(W, c.w, c.ceil)];
};

// ---------------------------------------------------------------------------------------------

describe("layers equal their functional forms", () => {
  it("nn.MaxPool2d(k, opts)(x) == F.maxPool2d(x, k, opts), with and without indices", () => {
    fc.assert(
      fc.property(poolCase({ maxDilation: 2 }), (c) => {
        expectSameTensor(nn.MaxPool2d(kernelOf(c), maxOptions(c))(c.x) as Tensor, F.maxPool2d(c.x, kernelOf(c), maxOptions(c)));
        const [lv, li] = nn.MaxPool2d(kernelOf(c), { ...maxOptions(c), returnIndices: true })(c.x) as [Tensor, Tensor];
        const [fv, fi] = F.maxPool2d(c.x, kernelOf(c), { ...maxOptions(c), returnIndices: true });
        expectSameTensor(lv, fv);
        expectSameTensor(li, fi);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("nn.AvgPool2d(k, opts)(x) == F.avgPool2d(x, k, opts)", () => {
    const extra = fc.record({ countIncludePad: fc.boolean(), divisorOverride: fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }) });
    fc.assert(
      fc.property(poolCase(), extra, (c, e) => {
        const opts = { ...avgOptions(c), ...e };
        expectSameTensor(nn.AvgPool2d(kernelOf(c), opts)(c.x), F.avgPool2d(c.x, kernelOf(c), opts));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("nn.LPPool2d(p, k, opts)(x) == F.lpPool2d(x, p, k, opts)", () => {
    const noPad = dimGeo(1).map((g) => ({ ...g, p: 0 }));
    fc.assert(
      fc.property(poolCase({ dim: noPad }), fc.constantFrom(1, 2, 3, 1.5), (c, p) => {
        const opts = { stride: pairArg(c.h.s, c.w.s, c.short), ceilMode: c.ceil };
        expectSameTensor(nn.LPPool2d(p, kernelOf(c), opts)(c.x), F.lpPool2d(c.x, p, kernelOf(c), opts));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it("nn.AdaptiveAvgPool2d / nn.AdaptiveMaxPool2d(out)(x) == F.adaptive*Pool2d(x, out)", () => {
    const sizes = fc.record({ oh: fc.integer({ min: 1, max: 5 }), ow: fc.integer({ min: 1, max: 5 }), square: fc.boolean() });
    fc.assert(
      fc.property(poolCase(), sizes, (c, s) => {
        const out = s.square ? s.oh : ([s.oh, s.ow] as const);
        expectSameTensor(nn.AdaptiveAvgPool2d(out)(c.x), F.adaptiveAvgPool2d(c.x, out));
        expectSameTensor(nn.AdaptiveMaxPool2d(out)(c.x), F.adaptiveMaxPool2d(c.x, out));
        const [lv, li] = nn.AdaptiveMaxPool2d(out, { returnIndices: true })(c.x) as unknown as [Tensor, Tensor];
        const [fv, fi] = F.adaptiveMaxPool2d(c.x, out, { returnIndices: true });
        expectSameTensor(lv, fv);
        expectSameTensor(li, fi);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it("nn.MaxUnpool2d(k, opts)(y, i) == F.maxUnpool2d(y, i, k, opts)", () => {
    fc.assert(
      fc.property(poolCase(), (c) => {
        const [y, i] = F.maxPool2d(c.x, kernelOf(c), { ...avgOptions(c), returnIndices: true });
        const opts = { stride: pairArg(c.h.s, c.w.s, c.short), padding: pairArg(c.h.p, c.w.p, c.short) };
        const { H, W } = planesOf(c.x);
        expectSameTensor(nn.MaxUnpool2d(kernelOf(c), opts)(y, i, [H, W]), F.maxUnpool2d(y, i, kernelOf(c), { ...opts, outputSize: [H, W] }));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe("output shape follows PyTorch's formula", () => {
  it("max/avg/lp pooling output = floor((in + 2p − d(k−1) − 1 [+ s−1]) / s) + 1, minus the dropped ceil window", () => {
    let dropped = 0;
    fc.assert(
      fc.property(poolCase({ maxDilation: 3 }), (c) => {
        const { H, W } = planesOf(c.x);
        const lead = c.x.shape.slice(0, -2);
        for (const [inSize, g] of [[H, c.h], [W, c.w]] as const) {
          const raw = Math.floor((inSize + 2 * g.p - g.d * (g.k - 1) - 1 + (c.ceil ? g.s - 1 : 0)) / g.s) + 1;
          if (expectedOutSize(inSize, g, c.ceil) !== raw) dropped++;
        }
        const expected = [...lead, expectedOutSize(H, c.h, c.ceil), expectedOutSize(W, c.w, c.ceil)];
        expect([...F.maxPool2d(c.x, kernelOf(c), maxOptions(c)).shape]).toEqual(expected);
        const [, indices] = F.maxPool2d(c.x, kernelOf(c), { ...maxOptions(c), returnIndices: true });
        expect([...indices.shape]).toEqual(expected);
        expect(indices.dtype).toBe("int64");
        if (c.h.d === 1 && c.w.d === 1) {
          expect([...F.avgPool2d(c.x, kernelOf(c), avgOptions(c)).shape]).toEqual(expected);
        }
        if (H >= c.h.k && W >= c.w.k) {
          const g0 = { h: { ...c.h, p: 0, d: 1 }, w: { ...c.w, p: 0, d: 1 } };
          const lp = F.lpPool2d(c.x, 2, kernelOf(c), { stride: [c.h.s, c.w.s], ceilMode: c.ceil });
          expect([...lp.shape]).toEqual([...lead, expectedOutSize(H, g0.h, c.ceil), expectedOutSize(W, g0.w, c.ceil)]);
        }
      }),
      { seed: SEED, numRuns: 600 },
    );
    // the generator must actually reach the ceil-mode drop rule
    expect(dropped).toBeGreaterThan(0);
  });
});

describe("max pooling equals its brute-force definition", () => {
  it("values and indices (padding never read, first max wins, last NaN wins)", () => {
    fc.assert(
      fc.property(poolCase({ maxDilation: 2 }), (c) => {
        const [y, idx] = F.maxPool2d(c.x, kernelOf(c), { ...maxOptions(c), returnIndices: true });
        expect([...y.shape]).toEqual(outShapeOf(c));
        const { H, W } = planesOf(c.x);
        for (const win of bruteWindows(c.x, c)) {
          const want = bruteMax(c.x.data, win.plane * H * W, win.cells);
          if (!same(y.data[win.out], want.value)) {
            throw new Error(`value at ${win.out}: got ${y.data[win.out]}, expected ${want.value}`);
          }
          if (want.index !== null && idx.data[win.out] !== want.index) {
            throw new Error(`index at ${win.out}: got ${idx.data[win.out]}, expected ${want.index}`);
          }
        }
      }),
      { seed: SEED, numRuns: 600 },
    );
  });

  it("adaptive max pooling also picks the first max / last NaN of each adaptive window", () => {
    fc.assert(
      fc.property(poolCase(), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), (c, oh, ow) => {
        const { planes, H, W } = planesOf(c.x);
        const [y, idx] = F.adaptiveMaxPool2d(c.x, [oh, ow], { returnIndices: true });
        expect([...y.shape]).toEqual([...c.x.shape.slice(0, -2), oh, ow]);
        for (let plane = 0; plane < planes; plane++) {
          for (let i = 0; i < oh; i++) {
            for (let j = 0; j < ow; j++) {
              // window [floor(i·in/out), ceil((i+1)·in/out))
              const cells: number[] = [];
              for (let h = Math.floor((i * H) / oh); h < Math.ceil(((i + 1) * H) / oh); h++) {
                for (let w = Math.floor((j * W) / ow); w < Math.ceil(((j + 1) * W) / ow); w++) cells.push(h * W + w);
              }
              const want = bruteMax(c.x.data, plane * H * W, cells);
              const at = (plane * oh + i) * ow + j;
              expect(same(y.data[at], want.value)).toBe(true);
              expect(idx.data[at]).toBe(want.index);
            }
          }
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe("average pooling equals a float64 brute-force mean (within float32 rounding)", () => {
  it("countIncludePad true/false, divisorOverride, ceilMode", () => {
    const extra = fc.record({
      countIncludePad: fc.boolean(),
      divisorOverride: fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined, freq: 3 }),
    });
    fc.assert(
      fc.property(poolCase(), extra, (c, e) => {
        const y = F.avgPool2d(c.x, kernelOf(c), { ...avgOptions(c), ...e });
        expect([...y.shape]).toEqual(outShapeOf(c));
        expect(y.dtype).toBe("float32");
        const { H, W } = planesOf(c.x);
        for (const win of bruteWindows(c.x, c)) {
          const vals = win.cells.map((cell) => c.x.data[win.plane * H * W + cell]);
          const divisor =
            e.divisorOverride ?? (e.countIncludePad ? paddedWindowCount(win.oh, win.ow, c, H, W) : win.cells.length);
          const sum = vals.reduce((a, b) => a + b, 0);
          const mean = sum / divisor;
          const scale = vals.reduce((a, b) => a + Math.abs(b), 0) / divisor;
          expectClose(y.data[win.out], mean, f32Tol(scale), `avg at ${win.out}`);
        }
      }),
      { seed: SEED, numRuns: 600 },
    );
  });
});

describe("min pooling is −maxPool(−x)", () => {
  it("F.maxPool2d(x.neg()).neg() equals a brute-force min", () => {
    fc.assert(
      fc.property(poolCase({ maxDilation: 2 }), (c) => {
        const y = F.maxPool2d(c.x.neg(), kernelOf(c), maxOptions(c)).neg();
        expect([...y.shape]).toEqual(outShapeOf(c));
        const { H, W } = planesOf(c.x);
        for (const win of bruteWindows(c.x, c)) {
          const want = bruteMin(c.x.data, win.plane * H * W, win.cells);
          if (!same(y.data[win.out], want)) throw new Error(`min at ${win.out}: got ${y.data[win.out]}, expected ${want}`);
        }
      }),
      { seed: SEED, numRuns: 400 },
    );
  });
});

describe("max unpooling inverts max pooling on non-overlapping windows", () => {
  it("each max goes back to its index, zeros elsewhere", () => {
    // stride ≥ kernel (no overlap), no dilation
    const disjoint = fc
      .record({ k: fc.integer({ min: 1, max: 3 }), extra: fc.integer({ min: 0, max: 1 }) })
      .chain(({ k, extra }) => fc.integer({ min: 0, max: Math.floor(k / 2) }).map((p) => ({ k, s: k + extra, d: 1, p })));
    const noNaN = poolCase({ dim: disjoint, special: "inf" });
    fc.assert(
      fc.property(noNaN, (c) => {
        const { planes, H, W } = planesOf(c.x);
        const opts = { stride: pairArg(c.h.s, c.w.s, c.short), padding: pairArg(c.h.p, c.w.p, c.short) };
        const [y, idx] = F.maxPool2d(c.x, kernelOf(c), { ...opts, ceilMode: c.ceil, returnIndices: true });
        const u = F.maxUnpool2d(y, idx, kernelOf(c), { ...opts, outputSize: [H, W] });
        expect([...u.shape]).toEqual([...c.x.shape]);
        const expected = new Float64Array(planes * H * W); // zeros elsewhere
        for (const win of bruteWindows(c.x, c)) {
          const m = bruteMax(c.x.data, win.plane * H * W, win.cells);
          expected[win.plane * H * W + m.index!] = m.value;
        }
        for (let i = 0; i < expected.length; i++) {
          if (!same(u.data[i], expected[i])) throw new Error(`unpooled ${i}: got ${u.data[i]}, expected ${expected[i]}`);
        }
      }),
      { seed: SEED, numRuns: 400 },
    );
  });
});

describe("gradients", () => {
  const finiteCase = (maxDilation: number) => poolCase({ maxDilation, special: "none" });
  const withGrad = (cases: fc.Arbitrary<PoolCase>) =>
    cases.chain((c) => smallIntGrad(outShapeOf(c)).map((g) => ({ c, g })));
  const noEmptyWindow = (c: PoolCase) => {
    for (const win of bruteWindows(c.x, c)) if (win.cells.length === 0) return false;
    return true;
  };

  it("max pooling: the input gradient sums to sum(gradOutput)", () => {
    fc.assert(
      fc.property(withGrad(finiteCase(2)), ({ c, g }) => {
        fc.pre(noEmptyWindow(c));
        const grad = F.maxPool2dBackward(g, c.x, kernelOf(c), maxOptions(c));
        expect([...grad.shape]).toEqual([...c.x.shape]);
        expect(sumOf(grad)).toBe(sumOf(g)); // small integers: exact
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it("max pooling: zero off the argmax cells, the routed gradients on them", () => {
    fc.assert(
      fc.property(withGrad(poolCase({ maxDilation: 2 })), ({ c, g }) => {
        fc.pre(noEmptyWindow(c));
        const grad = F.maxPool2dBackward(g, c.x, kernelOf(c), maxOptions(c));
        const { planes, H, W } = planesOf(c.x);
        const expected = new Float64Array(planes * H * W);
        for (const win of bruteWindows(c.x, c)) {
          const m = bruteMax(c.x.data, win.plane * H * W, win.cells);
          expected[win.plane * H * W + m.index!] += g.data[win.out];
        }
        for (let i = 0; i < expected.length; i++) {
          if (grad.data[i] !== expected[i]) throw new Error(`grad ${i}: got ${grad.data[i]}, expected ${expected[i]}`);
        }
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it("avg pooling (countIncludePad=false, no ceil mode): the input gradient sums to sum(gradOutput)", () => {
    fc.assert(
      fc.property(withGrad(poolCase({ special: "none", ceil: fc.constant(false) })), ({ c, g }) => {
        const grad = F.avgPool2dBackward(g, c.x, kernelOf(c), { ...avgOptions(c), countIncludePad: false });
        expect([...grad.shape]).toEqual([...c.x.shape]);
        expectClose(sumOf(grad), sumOf(g), 1e-5 * (1 + absSumOf(g)), "sum of avg gradient");
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it("adaptive avg pooling: the input gradient sums to sum(gradOutput)", () => {
    const sized = poolCase({ special: "none" }).chain((c) =>
      fc
        .record({ oh: fc.integer({ min: 1, max: 6 }), ow: fc.integer({ min: 1, max: 6 }) })
        .chain(({ oh, ow }) => smallIntGrad([...c.x.shape.slice(0, -2), oh, ow]).map((g) => ({ c, oh, ow, g }))),
    );
    fc.assert(
      fc.property(sized, ({ c, oh, ow, g }) => {
        const grad = F.adaptiveAvgPool2dBackward(g, c.x, [oh, ow]);
        expect([...grad.shape]).toEqual([...c.x.shape]);
        expectClose(sumOf(grad), sumOf(g), 1e-5 * (1 + absSumOf(g)), "sum of adaptive avg gradient");
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  /** Central differences of f(x) = Σ gradOutput · forward(x), one coordinate at a time (float64). */
  function finiteDifference(x: Tensor, gradOutput: Tensor, forward: (x: Tensor) => Tensor, h = 1e-6): Float64Array {
    const f = (t: Tensor) => {
      const y = forward(t);
      let s = 0;
      for (let i = 0; i < y.numel(); i++) s += y.data[i] * gradOutput.data[i];
      return s;
    };
    const out = new Float64Array(x.numel());
    for (let i = 0; i < x.numel(); i++) {
      const plus = x.clone();
      const minus = x.clone();
      plus.data[i] += h;
      minus.data[i] -= h;
      out[i] = (f(plus) - f(minus)) / (2 * h);
    }
    return out;
  }

  /** A float64 case: geometry from a float32 case, smooth float64 values and gradOutput. */
  const float64Case = (cases: fc.Arbitrary<PoolCase>, min: number, max: number) =>
    cases.chain((c) =>
      fc
        .tuple(float64Tensor(c.x.shape, min, max), float64Tensor(outShapeOf(c), -2, 2))
        .map(([xv, gv]) => ({ c, x: xv.reshape([...c.x.shape]), g: gv.reshape(outShapeOf(c)) })),
    );

  it("avg pooling backward matches finite differences (float64)", () => {
    const extra = fc.record({ countIncludePad: fc.boolean(), divisorOverride: fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined, freq: 3 }) });
    fc.assert(
      fc.property(float64Case(poolCase(), -3, 3), extra, ({ c, x, g }, e) => {
        const opts = { ...avgOptions(c), ...e };
        expect(x.dtype).toBe("float64");
        const grad = F.avgPool2dBackward(g, x, kernelOf(c), opts);
        expect(grad.dtype).toBe("float64");
        const numeric = finiteDifference(x, g, (t) => F.avgPool2d(t, kernelOf(c), opts));
        numeric.forEach((n, i) => expectClose(grad.data[i], n, 1e-6 * (1 + Math.abs(n)), `d/dx[${i}]`));
      }),
      { seed: SEED, numRuns: 120 },
    );
  });

  it("lp pooling backward matches finite differences on positive inputs (float64)", () => {
    const noPad = dimGeo(1).map((g) => ({ ...g, p: 0 }));
    fc.assert(
      fc.property(float64Case(poolCase({ dim: noPad }), 0.5, 2), fc.constantFrom(1, 2, 3, 1.5), ({ c, x, g }, p) => {
        const opts = { stride: pairArg(c.h.s, c.w.s, c.short), ceilMode: c.ceil };
        const grad = F.lpPool2dBackward(g, x, p, kernelOf(c), opts);
        expect([...grad.shape]).toEqual([...x.shape]);
        const numeric = finiteDifference(x, g, (t) => F.lpPool2d(t, p, kernelOf(c), opts));
        numeric.forEach((n, i) => expectClose(grad.data[i], n, 1e-5 * (1 + Math.abs(n)), `d/dx[${i}] (p=${p})`));
      }),
      { seed: SEED, numRuns: 120 },
    );
  });
});

describe("adaptive pooling with a dividing output size is plain pooling with kernel = stride = in/out", () => {
  // output size o and kernel k per side, input = o·k
  const divCase = fc
    .record({
      oh: fc.integer({ min: 1, max: 3 }),
      ow: fc.integer({ min: 1, max: 3 }),
      kh: fc.integer({ min: 1, max: 3 }),
      kw: fc.integer({ min: 1, max: 3 }),
      lead: leadingDims,
    })
    .chain((d) => float32Tensor([...d.lead, d.oh * d.kh, d.ow * d.kw]).map((x) => ({ ...d, x })));

  it("adaptive max == max pool (values and indices)", () => {
    fc.assert(
      fc.property(divCase, ({ oh, ow, kh, kw, x }) => {
        const [a, ai] = F.adaptiveMaxPool2d(x, [oh, ow], { returnIndices: true });
        const [m, mi] = F.maxPool2d(x, [kh, kw], { stride: [kh, kw], returnIndices: true });
        expect([...a.shape]).toEqual([...m.shape]);
        for (let i = 0; i < m.numel(); i++) {
          expect(same(a.data[i], m.data[i])).toBe(true);
          expect(ai.data[i]).toBe(mi.data[i]);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("adaptive avg == avg pool (within float32 rounding)", () => {
    fc.assert(
      fc.property(divCase, ({ oh, ow, kh, kw, x }) => {
        const a = F.adaptiveAvgPool2d(x, [oh, ow]);
        const m = F.avgPool2d(x, [kh, kw], { stride: [kh, kw] });
        expect([...a.shape]).toEqual([...m.shape]);
        const { planes, W } = planesOf(x);
        for (let plane = 0; plane < planes; plane++) {
          for (let i = 0; i < oh; i++) {
            for (let j = 0; j < ow; j++) {
              let scale = 0;
              for (let r = 0; r < kh; r++) for (let s = 0; s < kw; s++) scale += Math.abs(x.data[plane * oh * kh * W + (i * kh + r) * W + j * kw + s]);
              const at = (plane * oh + i) * ow + j;
              expectClose(a.data[at], m.data[at], f32Tol(scale / (kh * kw)), `adaptive avg at ${at}`);
            }
          }
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe("the chapter's from-scratch pool2d equals F with stride 1", () => {
  const teachCase = fc
    .record({ H: fc.integer({ min: 1, max: 6 }), W: fc.integer({ min: 1, max: 6 }) })
    .chain(({ H, W }) =>
      fc
        .record({ ph: fc.integer({ min: 1, max: H }), pw: fc.integer({ min: 1, max: W }), X: float32Tensor([H, W]) })
        .map((r) => ({ H, W, ...r })),
    );

  it("pool2d(X, [ph, pw], 'max') == F.maxPool2d(X as (1, 1, H, W), [ph, pw], { stride: 1 })", () => {
    fc.assert(
      fc.property(teachCase, ({ H, W, ph, pw, X }) => {
        const Y = pool2d(X, [ph, pw], "max");
        const Z = F.maxPool2d(X.reshape(1, 1, H, W), [ph, pw], { stride: 1 });
        expect([...Y.shape]).toEqual([H - ph + 1, W - pw + 1]);
        expect([...Z.shape]).toEqual([1, 1, H - ph + 1, W - pw + 1]);
        for (let i = 0; i < Y.numel(); i++) {
          if (!same(Y.data[i], Z.data[i])) throw new Error(`max ${i}: pool2d ${Y.data[i]}, F ${Z.data[i]}`);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("pool2d(X, [ph, pw], 'avg') == F.avgPool2d(X as (1, 1, H, W), [ph, pw], { stride: 1 })", () => {
    fc.assert(
      fc.property(teachCase, ({ H, W, ph, pw, X }) => {
        const Y = pool2d(X, [ph, pw], "avg");
        const Z = F.avgPool2d(X.reshape(1, 1, H, W), [ph, pw], { stride: 1 });
        expect([...Y.shape]).toEqual([H - ph + 1, W - pw + 1]);
        for (let i = 0; i < Y.shape[0]; i++) {
          for (let j = 0; j < Y.shape[1]; j++) {
            const scale = absSumOf(X.index([i, i + ph], [j, j + pw])) / (ph * pw);
            const at = i * Y.shape[1] + j;
            expectClose(Y.data[at], Z.data[at], f32Tol(scale), `avg (${i}, ${j})`);
          }
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe("convolution", () => {
  const convCase = fc
    .record({ H: fc.integer({ min: 1, max: 6 }), W: fc.integer({ min: 1, max: 6 }) })
    .chain(({ H, W }) =>
      fc
        .record({ kh: fc.integer({ min: 1, max: H }), kw: fc.integer({ min: 1, max: W }) })
        .chain(({ kh, kw }) =>
          fc.tuple(float32Tensor([H, W], "none"), float32Tensor([kh, kw], "none")).map(([X, K]) => ({ H, W, kh, kw, X, K })),
        ),
    );

  it("corr2d(X, K) == conv2d on (1, 1, H, W) with weight (1, 1, kh, kw)", () => {
    fc.assert(
      fc.property(convCase, ({ H, W, kh, kw, X, K }) => {
        const A = corr2d(X, K);
        const B = conv2d(X.reshape(1, 1, H, W), K.reshape(1, 1, kh, kw));
        expect([...A.shape]).toEqual([H - kh + 1, W - kw + 1]);
        expect([...B.shape]).toEqual([1, 1, H - kh + 1, W - kw + 1]);
        for (let i = 0; i < A.shape[0]; i++) {
          for (let j = 0; j < A.shape[1]; j++) {
            const scale = absSumOf(X.index([i, i + kh], [j, j + kw]).mul(K).abs());
            const at = i * A.shape[1] + j;
            expectClose(A.data[at], B.data[at], f32Tol(scale), `corr (${i}, ${j})`);
          }
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("F.avgPool2d(x, k, { stride, padding }) == conv2d with a constant 1/(kh·kw) kernel", () => {
    const cases = poolCase({ special: "none", ceil: fc.constant(false) }).filter((c) => c.x.shape[c.x.dim() - 3] === 1);
    fc.assert(
      fc.property(cases, (c) => {
        const opts = { stride: [c.h.s, c.w.s] as [number, number], padding: [c.h.p, c.w.p] as [number, number] };
        const y = F.avgPool2d(c.x, kernelOf(c), { ...opts, countIncludePad: true });
        const weight = torch.full([1, 1, c.h.k, c.w.k], 1 / (c.h.k * c.w.k), { dtype: "float32" });
        const z = conv2d(c.x, weight, opts);
        expect([...z.shape]).toEqual([...y.shape]);
        const scale = Math.max(...Array.from(c.x.data, Math.abs));
        for (let i = 0; i < y.numel(); i++) expectClose(z.data[i], y.data[i], f32Tol(scale), `avg/conv ${i}`);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
