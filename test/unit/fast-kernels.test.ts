/**
 * The fast float32 kernels (asm/pool.ts via src/pooling/fast) against the reference loops
 * (src/pooling/{max,avg,adaptive,gradients}.ts), which test/unit/pytorch-fixtures.test.ts checks
 * against PyTorch. The comparison is EXACT: same shapes and dtypes, every value Object.is-equal
 * (so +0 and -0 differ; NaN equals NaN), every index equal — for max AND average pooling, since
 * the fast average adds the same float32 terms in the same order.
 *
 * Inputs are random (fast-check, fixed seed): kernel 1–7, stride 1–4, any legal padding, ceil mode,
 * 3-D and 4-D, count_include_pad, divisor_override, values full of ties, ±0, ±Infinity and NaN;
 * stored in the WebAssembly heap or in an ordinary Float32Array; run on one thread or split over
 * the worker threads. No timing is asserted anywhere (see bench/pooling.js).
 */
import { hang } from "../helpers/hang";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import { F, Tensor } from "../../src/index";
import {
  fastPoolingAvailable,
  fastUnavailableReason,
  setFastPooling,
  setParallelMinElements,
  threadCount,
  threadStats,
} from "../../src/pooling/fast";
import { heapStats, inHeap, releaseStorage, tensorArray } from "../../src/tensor/heap";
import { allocate } from "../../src/tensor/storage";

// Property runs are CPU-bound; on a shared 2-core machine they can take several times longer.
vi.setConfig({ testTimeout: hang(600_000) });

const SEED = 20240605;
const RUNS = 300;

/** Run `fn` with the fast kernels off: the reference loops. */
function reference<T>(fn: () => T): T {
  const before = setFastPooling(false);
  try {
    return fn();
  } finally {
    setFastPooling(before);
  }
}

function expectSame(actual: unknown, expected: unknown, what: string): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${what}: a pair`).toBe(true);
    expected.forEach((e, i) => expectSame((actual as unknown[])[i], e, `${what}[${i}]`));
    return;
  }
  const a = actual as Tensor;
  const e = expected as Tensor;
  expect(a).toBeInstanceOf(Tensor);
  expect([...a.shape], `${what}: shape`).toEqual([...e.shape]);
  expect(a.dtype, `${what}: dtype`).toBe(e.dtype);
  for (let i = 0; i < e.data.length; i++) {
    const x = a.data[i];
    const y = e.data[i];
    if (!(Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y)))) {
      throw new Error(`${what}: element ${i} is ${Object.is(x, -0) ? "-0" : x}, the reference gives ${Object.is(y, -0) ? "-0" : y}`);
    }
  }
}

// ---- generators ------------------------------------------------------------------------------

interface Dim {
  k: number;
  s: number;
  p: number;
  size: number;
}
/** Kernel, stride, padding ≤ k/2, and an input size that gives at least one output. */
const dim = (maxSize: number): fc.Arbitrary<Dim> =>
  fc
    .record({ k: fc.integer({ min: 1, max: 7 }), s: fc.integer({ min: 1, max: 4 }) })
    .chain(({ k, s }) => fc.integer({ min: 0, max: Math.floor(k / 2) }).map((p) => ({ k, s, p })))
    .chain((d) => fc.integer({ min: Math.max(1, d.k - 2 * d.p), max: Math.max(1, d.k - 2 * d.p) + maxSize }).map((size) => ({ ...d, size })));

type Special = "none" | "inf" | "all";
/** Mostly small integers (ties, ±0) and floats, sometimes ±Infinity and NaN. */
const value = (special: Special): fc.Arbitrary<number> =>
  fc.oneof(
    { arbitrary: fc.integer({ min: -3, max: 3 }), weight: 4 },
    { arbitrary: fc.constantFrom(0, -0), weight: 1 },
    { arbitrary: fc.float({ min: -100, max: 100, noNaN: true }), weight: 4 },
    {
      arbitrary: special === "all" ? fc.constantFrom(NaN, Infinity, -Infinity) : special === "inf" ? fc.constantFrom(Infinity, -Infinity) : fc.integer({ min: -3, max: 3 }),
      weight: 1,
    },
  );

interface Case {
  lead: number[];
  h: Dim;
  w: Dim;
  ceilMode: boolean;
  values: number[];
  inHeap: boolean;
  threads: boolean;
}

const caseArb = (maxSize = 24): fc.Arbitrary<Case> =>
  fc
    .record({
      lead: fc.oneof(fc.tuple(fc.integer({ min: 1, max: 5 })), fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }))),
      h: dim(maxSize),
      w: dim(maxSize),
      ceilMode: fc.boolean(),
      special: fc.constantFrom<Special>("none", "inf", "all"),
      inHeap: fc.boolean(),
      threads: fc.boolean(),
    })
    .chain((c) => {
      const n = c.lead.reduce((a, b) => a * b, 1) * c.h.size * c.w.size;
      return fc.array(value(c.special), { minLength: n, maxLength: n }).map((values) => ({ ...c, lead: [...c.lead], values }));
    });

/** The case's input: stored in the WebAssembly heap, or in an ordinary Float32Array. */
function tensorOf(c: Case, values = c.values): Tensor {
  const data = c.inHeap ? tensorArray(Float32Array, values.length, false, 0)! : new Float32Array(values.length);
  data.set(values);
  return new Tensor(data, [...c.lead, c.h.size, c.w.size], "float32");
}

const poolOptions = (c: Case) => ({ stride: [c.h.s, c.w.s] as [number, number], padding: [c.h.p, c.w.p] as [number, number], ceilMode: c.ceilMode });
const kernelOf = (c: Case): [number, number] => [c.h.k, c.w.k];

/** Run with threads (every job split, however small) or on the calling thread only. */
function withThreads<T>(on: boolean, fn: () => T): T {
  const before = setParallelMinElements(on ? 0 : Number.MAX_SAFE_INTEGER);
  try {
    return fn();
  } finally {
    setParallelMinElements(before);
  }
}

/** Same result (or the same error) with and without the fast kernels. */
function check(c: Case, run: () => unknown): void {
  let expected: unknown;
  let expectedError: string | null = null;
  try {
    expected = reference(run);
  } catch (e) {
    expectedError = (e as Error).message;
  }
  let actual: unknown;
  try {
    actual = withThreads(c.threads, run);
  } catch (e) {
    expect((e as Error).message).toBe(expectedError);
    return;
  }
  expect(expectedError, "the reference threw, the fast path did not").toBe(null);
  expectSame(actual, expected, "result");
}

const property = (arb: fc.Arbitrary<Case>, body: (c: Case) => void, runs = RUNS) =>
  fc.assert(fc.property(arb, body), { seed: SEED, numRuns: runs });

// ---- tests -----------------------------------------------------------------------------------

beforeAll(() => {
  if (!fastPoolingAvailable()) throw new Error(`the fast kernels did not load: ${fastUnavailableReason()}`);
});

describe("fast kernels are in use", () => {
  it("loads pool.wasm and puts big tensors in the WebAssembly heap", () => {
    expect(fastUnavailableReason()).toBe("");
    expect(inHeap(allocate("float32", 1 << 16) as Float32Array)).toBe(true);
    expect(inHeap(allocate("float32", 16) as Float32Array)).toBe(false);
    expect(threadCount()).toBeGreaterThanOrEqual(1);
  });
});

describe("max_pool2d: fast = reference (values and indices, exactly)", () => {
  it("values and indices, random geometry and values", () => {
    property(caseArb(), (c) =>
      check(c, () => F.maxPool2d(tensorOf(c), kernelOf(c), { ...poolOptions(c), returnIndices: true })),
    );
  });
  it("values only", () => {
    property(caseArb(), (c) => check(c, () => F.maxPool2d(tensorOf(c), kernelOf(c), poolOptions(c))));
  });
  it("3×3 stride 2, padding 0 and 1 (a kernel of its own), any width", () => {
    const arb = caseArb(60).map((c) => ({ ...c, w: { ...c.w, k: 3, s: 2, p: c.w.p % 2 } }));
    property(arb, (c) => check(c, () => F.maxPool2d(tensorOf(c), kernelOf(c), { ...poolOptions(c), returnIndices: true })), 100);
    property(arb, (c) => check(c, () => F.maxPool2d(tensorOf(c), kernelOf(c), poolOptions(c))), 100);
  });
  it("2×2 stride 2 without padding (a kernel of its own), any size", () => {
    // Sizes one larger than the case's (so at least 2); its values repeat to fill the input.
    const arb = caseArb(60).map((c) => {
      const h = { k: 2, s: 2, p: 0, size: c.h.size + 1 };
      const w = { k: 2, s: 2, p: 0, size: c.w.size + 1 };
      const n = c.lead.reduce((a, b) => a * b, 1) * h.size * w.size;
      return { ...c, h, w, values: Array.from({ length: n }, (_, i) => c.values[i % c.values.length]) };
    });
    property(arb, (c) => check(c, () => F.maxPool2d(tensorOf(c), 2, { stride: 2, ceilMode: c.ceilMode })), 150);
    property(arb, (c) => check(c, () => F.maxPool2d(tensorOf(c), 2, { stride: 2, returnIndices: true })), 50);
  });
  it("wide rows (many SIMD groups, ragged ends)", () => {
    property(caseArb(70), (c) => check(c, () => F.maxPool2d(tensorOf(c), kernelOf(c), { ...poolOptions(c), returnIndices: true })), 60);
  });
  it("dilation and float64 still give the reference's results (they take the reference path)", () => {
    property(caseArb(), (c) => {
      check(c, () => F.maxPool2d(tensorOf(c), kernelOf(c), { ...poolOptions(c), padding: 0, dilation: 2, returnIndices: true }));
      check(c, () => F.maxPool2d(tensorOf(c).double(), kernelOf(c), { ...poolOptions(c), returnIndices: true }));
    }, 50);
  });
});

describe("max_pool2d: the cases the SIMD paths special-case, against the reference", () => {
  // Rows of 40 cells: inside groups read the tensor in place, edge groups mask the padding.
  const row = (f: (w: number) => number) => Array.from({ length: 2 * 40 }, (_, i) => f(i % 40));
  const cases: [string, number[]][] = [
    ["signed-zero ties everywhere", row((w) => (w % 3 === 0 ? -0 : 0))],
    ["all -Infinity (indices: the first real cell, also next to the padding)", row(() => -Infinity)],
    ["a NaN in the last column (read only by the last windows)", row((w) => (w === 39 ? NaN : w % 5))],
    ["a NaN in the first column", row((w) => (w === 0 ? NaN : -w))],
    ["NaNs inside, several per window", row((w) => (w % 7 === 3 || w % 7 === 4 ? NaN : w % 2 ? -0 : 0))],
    ["±Infinity inside (the NaN test's false alarm: exact path, same result)", row((w) => (w % 4 === 1 ? Infinity : w % 4 === 2 ? -Infinity : 1))],
  ];
  for (const [name, values] of cases) {
    it(name, () => {
      for (const [k, s, p] of [[3, 1, 1], [3, 2, 1], [3, 2, 0], [2, 2, 0], [7, 1, 3], [4, 2, 2], [5, 3, 2]]) {
        for (const threads of [false, true]) {
          const c: Case = { lead: [1], h: { k: 1, s: 1, p: 0, size: 2 }, w: { k, s, p, size: 40 }, ceilMode: false, values, inHeap: true, threads };
          check(c, () => F.maxPool2d(tensorOf(c), [2, k], { stride: [1, s], padding: [0, p], returnIndices: true }));
          check(c, () => F.maxPool2d(tensorOf(c), [2, k], { stride: [1, s], padding: [0, p] }));
        }
      }
    });
  }
});

describe("avg_pool2d: fast = reference (bit for bit)", () => {
  const avgOptions = fc.record({
    countIncludePad: fc.boolean(),
    divisorOverride: fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer({ min: -20, max: 20 }).filter((d) => d !== 0)),
  });
  it("random geometry, count_include_pad, divisor_override", () => {
    fc.assert(
      fc.property(caseArb(), avgOptions, (c, o) => check(c, () => F.avgPool2d(tensorOf(c), kernelOf(c), { ...poolOptions(c), ...o }))),
      { seed: SEED, numRuns: RUNS },
    );
  });
  it("wide rows", () => {
    fc.assert(
      fc.property(caseArb(70), avgOptions, (c, o) => check(c, () => F.avgPool2d(tensorOf(c), kernelOf(c), { ...poolOptions(c), ...o }))),
      { seed: SEED, numRuns: 60 },
    );
  });
  it("3×3 stride 1 padding 1 (rows read in place, ends masked), any size", () => {
    const arb = caseArb(60).map((c) => ({ ...c, h: { ...c.h, k: 3, s: 1, p: 1 }, w: { ...c.w, k: 3, s: 1, p: 1 } }));
    fc.assert(
      fc.property(arb, avgOptions, (c, o) => check(c, () => F.avgPool2d(tensorOf(c), 3, { stride: 1, padding: 1, ceilMode: c.ceilMode, ...o }))),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe("adaptive pools on the fast kernels", () => {
  it("global average (1×1) = the reference's float32 sum / H / W", () => {
    property(caseArb(40), (c) => {
      check(c, () => F.adaptiveAvgPool2d(tensorOf(c), 1));
      check(c, () => F.adaptiveAvgPool2d(tensorOf(c), [1, 1]));
    });
  });
  it("adaptive max with output sizes that divide the input = the reference", () => {
    const divisors = (n: number) => Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
    fc.assert(
      fc.property(
        caseArb().chain((c) => fc.tuple(fc.constant(c), fc.constantFrom(...divisors(c.h.size)), fc.constantFrom(...divisors(c.w.size)))),
        ([c, oh, ow]) => {
          check(c, () => F.adaptiveMaxPool2d(tensorOf(c), [oh, ow], { returnIndices: true }));
          check(c, () => F.adaptiveMaxPool2d(tensorOf(c), [oh, ow]));
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe("backward passes: fast = reference (bit for bit)", () => {
  /** A gradOutput shaped like the forward output, from the case's own values (NaN-free). */
  const gradFor = (c: Case, shape: readonly number[]): Tensor => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = Math.fround(((i * 7919) % 23) / 7 - 1.5);
    return new Tensor(data, shape, "float32");
  };
  it("max_pool2d backward", () => {
    property(caseArb(), (c) => {
      let shape: readonly number[];
      try {
        shape = reference(() => F.maxPool2d(tensorOf(c), kernelOf(c), poolOptions(c))).shape;
      } catch {
        return;
      }
      check(c, () => F.maxPool2dBackward(gradFor(c, shape), tensorOf(c), kernelOf(c), poolOptions(c)));
    });
  });
  it("avg_pool2d backward", () => {
    fc.assert(
      fc.property(caseArb(), fc.boolean(), fc.option(fc.integer({ min: -9, max: 9 }).filter((d) => d !== 0)), (c, countIncludePad, divisorOverride) => {
        const options = { ...poolOptions(c), countIncludePad, divisorOverride };
        let shape: readonly number[];
        try {
          shape = reference(() => F.avgPool2d(tensorOf(c), kernelOf(c), options)).shape;
        } catch {
          return;
        }
        check(c, () => F.avgPool2dBackward(gradFor(c, shape), tensorOf(c), kernelOf(c), options));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
  it("avg_pool2d backward with stride 1 (gathered from a padded plane of deltas), any kernel and padding", () => {
    const arb = caseArb(40).map((c) => ({ ...c, h: { ...c.h, s: 1 }, w: { ...c.w, s: 1 } }));
    fc.assert(
      fc.property(arb, fc.boolean(), fc.option(fc.integer({ min: -9, max: 9 }).filter((d) => d !== 0)), (c, countIncludePad, divisorOverride) => {
        const options = { ...poolOptions(c), countIncludePad, divisorOverride };
        const shape = reference(() => F.avgPool2d(tensorOf(c), kernelOf(c), options)).shape;
        check(c, () => F.avgPool2dBackward(gradFor(c, shape), tensorOf(c), kernelOf(c), options));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
  it("avg_pool2d backward 3×3 stride 1 padding 1 (the unrolled sum), any size, NaN and ±Infinity in gradOutput", () => {
    const arb = caseArb(60).map((c) => ({ ...c, h: { ...c.h, k: 3, s: 1, p: 1 }, w: { ...c.w, k: 3, s: 1, p: 1 } }));
    property(arb, (c) => {
      const shape = reference(() => F.avgPool2d(tensorOf(c), 3, { stride: 1, padding: 1 })).shape;
      // gradOutput from the case's own values: ties, ±0, and sometimes ±Infinity and NaN
      const g = new Tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => c.values[i % c.values.length]), shape, "float32");
      check(c, () => F.avgPool2dBackward(g, tensorOf(c), 3, { stride: 1, padding: 1 }));
      check(c, () => F.avgPool2dBackward(g, tensorOf(c), 3, { stride: 1, padding: 1, countIncludePad: false }));
    }, 150);
  });
  it("max_pool2d backward 3×3 stride 2 (padding 0 and 1): ties, ±0, NaN pick the reference's cell", () => {
    const arb = caseArb(60).map((c) => ({ ...c, h: { ...c.h, k: 3, s: 2, p: c.h.p % 2 }, w: { ...c.w, k: 3, s: 2, p: c.w.p % 2 } }));
    property(arb, (c) => {
      let shape: readonly number[];
      try {
        shape = reference(() => F.maxPool2d(tensorOf(c), 3, poolOptions(c))).shape;
      } catch {
        return; // an input smaller than the window: the error is the forward's
      }
      check(c, () => F.maxPool2dBackward(gradFor(c, shape), tensorOf(c), 3, poolOptions(c)));
    }, 150);
  });
  it("a wrongly shaped gradOutput gets the reference's error", () => {
    const x = new Tensor(new Float32Array(16), [1, 1, 4, 4], "float32");
    const g = new Tensor(new Float32Array(9), [1, 1, 3, 3], "float32");
    expect(() => F.maxPool2dBackward(g, x, 2)).toThrow(/Mismatch in shape/);
    expect(() => F.avgPool2dBackward(g, x, 2)).toThrow(/Mismatch in shape/);
  });
});

describe("real sizes on the worker threads (the default split)", () => {
  const big = (shape: number[], seed: number): number[] => {
    const n = shape.reduce((a, b) => a * b, 1);
    const out = new Array<number>(n);
    let s = seed;
    for (let i = 0; i < n; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      out[i] = (s >>> 8) % 7 === 0 ? 0 : ((s >>> 8) % 2001) / 100 - 10; // ties at 0, like after a ReLU
    }
    out[12345] = NaN;
    return out;
  };
  const caseOf = (shape: number[], k: number, s: number, p: number): Case => ({
    lead: shape.slice(0, 2),
    h: { k, s, p, size: shape[2] },
    w: { k, s, p, size: shape[3] },
    ceilMode: false,
    values: big(shape, k * 31 + s),
    inHeap: true,
    threads: false,
  });
  it.each([
    ["max 3×3 s2 p1", [2, 16, 56, 56], 3, 2, 1],
    ["max 2×2 s2", [2, 16, 28, 28], 2, 2, 0],
    ["max 7×7 s1 p3", [2, 16, 28, 28], 7, 1, 3],
  ] as const)("%s", (_name, shape, k, s, p) => {
    const c = caseOf([...shape], k, s, p);
    setParallelMinElements(1 << 16);
    expectSame(
      F.maxPool2d(tensorOf(c), k, { stride: s, padding: p, returnIndices: true }),
      reference(() => F.maxPool2d(tensorOf(c), k, { stride: s, padding: p, returnIndices: true })),
      "max",
    );
    expectSame(F.avgPool2d(tensorOf(c), k, { stride: s, padding: p }), reference(() => F.avgPool2d(tensorOf(c), k, { stride: s, padding: p })), "avg");
    expectSame(F.adaptiveAvgPool2d(tensorOf(c), 1), reference(() => F.adaptiveAvgPool2d(tensorOf(c), 1)), "global avg");
  });
});

describe("the worker threads", () => {
  it("a job sent to the workers runs there (their chunks are counted), with the reference's result", () => {
    const c: Case = { lead: [4, 8], h: { k: 3, s: 2, p: 1, size: 40 }, w: { k: 3, s: 2, p: 1, size: 40 }, ceilMode: false, values: [], inHeap: true, threads: true };
    c.values = Array.from({ length: 4 * 8 * 40 * 40 }, (_, i) => ((i * 37) % 101) - 50);
    const before = threadStats().workerChunks;
    check(c, () => F.maxPool2d(tensorOf(c), 3, { stride: 2, padding: 1, returnIndices: true }));
    if (threadCount() > 1) expect(threadStats().workerChunks).toBeGreaterThan(before);
    else expect(threadStats().workerChunks).toBe(before); // one thread: no workers at all
  });
});

describe("the WebAssembly heap", () => {
  it("releaseStorage frees a block for reuse, zeroed when allocate() asks", () => {
    const a = allocate("float32", 1 << 17) as Float32Array;
    expect(inHeap(a)).toBe(true);
    a.fill(3);
    const before = heapStats()!.liveBytes;
    releaseStorage(a);
    expect(heapStats()!.liveBytes).toBe(before - a.byteLength);
    const b = allocate("float32", 1 << 17) as Float32Array;
    expect(b.every((v) => v === 0)).toBe(true);
    releaseStorage(b);
  });
  it("a view that did not come from the heap (a subarray) frees nothing", () => {
    const a = allocate("float32", 1 << 17) as Float32Array;
    const before = heapStats()!.liveBytes;
    releaseStorage(a.subarray(0, 16));
    expect(heapStats()!.liveBytes).toBe(before);
    releaseStorage(a);
    expect(heapStats()!.liveBytes).toBe(before - a.byteLength);
  });
  it("ordinary arrays are left alone", () => {
    const plain = new Float32Array(1 << 17);
    releaseStorage(plain);
    expect(inHeap(plain)).toBe(false);
  });
});

describe("processes end cleanly with the worker pool", () => {
  const root = join(__dirname, "..", "..");
  const script = `
    const { F, torch } = require(${JSON.stringify(join(root, "dist"))});
    const x = torch.zeros([8, 16, 64, 64]).add(1);
    const y = F.maxPool2d(x, 3, { stride: 2, padding: 1 });
    console.log(y.shape.join("x"), require(${JSON.stringify(join(root, "dist", "pooling", "fast"))}).fastUnavailableReason() || "fast");
  `;
  it("a script that pooled on worker threads exits by itself", () => {
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: hang(500_000) });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("8x16x32x32 fast");
    expect(r.status).toBe(0);
  }, hang(600_000));
  it("with the heap's tensors at a 1 MiB mark, calls still run on the kernels (outputs past it taken back or copied out), same results", () => {
    const sums = `
      const { F, torch } = require(${JSON.stringify(join(root, "dist"))});
      const fast = require(${JSON.stringify(join(root, "dist", "pooling", "fast"))});
      torch.manualSeed(1);
      const x = torch.randn([4, 16, 40, 40]);
      const results = [
        F.maxPool2d(x, 3, { stride: 2, padding: 1, returnIndices: true }),
        F.avgPool2d(x, 3, { stride: 1, padding: 1 }),
        F.adaptiveAvgPool2d(x, 1),
        F.maxPool2dBackward(F.maxPool2d(x, 2).relu(), x, 2),
      ].flat();
      const hash = require("node:crypto").createHash("sha256");
      for (const t of results) hash.update(new Uint8Array(t.data.slice().buffer));
      const paths = Object.values(fast.poolingPaths());
      console.log(results.map((t) => t.shape.join("x")).join(" "), hash.digest("hex"));
      console.log("reference calls:", paths.reduce((s, p) => s + p.reference, 0));
    `;
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ["-e", sums], { encoding: "utf8", timeout: hang(500_000), env: { ...process.env, ...env } });
    const full = run({ D2L_HEAP_LIMIT_MB: "1" });
    const normal = run({});
    const off = run({ D2L_POOL_FAST: "0" });
    const [fullSums, fullPaths] = full.stdout.split("\n");
    expect(full.status, full.stderr).toBe(0);
    expect(fullPaths).toBe("reference calls: 0");
    expect(fullSums).toBe(off.stdout.split("\n")[0]);
    expect(normal.stdout.split("\n")[0]).toBe(off.stdout.split("\n")[0]);
    expect(off.stdout.split("\n")[1]).toBe("reference calls: 5");
  }, 120_000);
  it("idle workers touch the heap's pages ahead of its top; values written meanwhile stay, fresh tensors stay zero", () => {
    const script = `
      const { torch } = require(${JSON.stringify(join(root, "dist"))});
      const { heapStats } = require(${JSON.stringify(join(root, "dist", "tensor", "heap"))});
      const fast = require(${JSON.stringify(join(root, "dist", "pooling", "fast"))});
      // 64 tensors of 1 MiB, each filled with its number, made while the workers touch pages
      // right where they land: an atomic OR of 0 must never undo a value.
      const made = Array.from({ length: 64 }, (_, i) => torch.full([1 << 18], i));
      const top = heapStats().topBytes;
      const wait = (tries) => setTimeout(() => {
        const s = heapStats();
        if (s.touchedAheadBytes < top + (32 << 20) - (1 << 16) && tries > 0) return wait(tries - 1);
        const intact = made.every((t, i) => t.data.every((v) => v === i));
        const fresh = torch.zeros([3 << 20]); // 12 MiB on touched, never written pages
        console.log(JSON.stringify({ threads: fast.threadCount(), ahead: s.touchedAheadBytes - top, intact, zeros: fresh.data.every((v) => v === 0) }));
      }, 20);
      wait(fast.threadCount() > 1 ? 3000 : 0); // up to 60 s on a busy machine
    `;
    for (const threads of ["2", "1"]) {
      const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: hang(500_000), env: { ...process.env, D2L_POOL_THREADS: threads } });
      expect(r.status, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.intact, `threads ${threads}`).toBe(true);
      expect(out.zeros, `threads ${threads}`).toBe(true);
      if (threads === "2") expect(out.ahead).toBeGreaterThanOrEqual((32 << 20) - (1 << 16)); // at least 32 MiB ahead
      else expect(out.ahead).toBeLessThanOrEqual(0); // no worker, nobody touches ahead
    }
  }, hang(1_200_000));
  it("under Node's permission model (no workers) it runs on one thread", () => {
    const r = spawnSync(process.execPath, ["--experimental-permission", `--allow-fs-read=${root}/`, "-e", script], {
      encoding: "utf8",
      timeout: hang(500_000),
    });
    expect(r.stdout.trim()).toBe("8x16x32x32 fast");
    expect(r.status).toBe(0);
  }, hang(600_000));
});

afterAll(() => {
  setParallelMinElements(1 << 16);
});
