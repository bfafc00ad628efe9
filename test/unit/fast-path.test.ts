/**
 * Which path each pooling call takes (src/pooling/fast counts them: `poolingPaths()`).
 *
 * fast-kernels.test.ts shows the fast kernels give the reference's results; this file shows they
 * RUN: every call that qualifies (float32, no dilation) on a tensor made the ordinary way —
 * torch.randn / rand / tensor(Float32Array), reshape, view, clone, elementwise ops, pooling
 * output — takes the kernel and reads its input in place (no copy, no reference loop). With the
 * kernels off (`D2L_POOL_FAST=0 npm test`) or never applying, these tests fail. (TensorFlow.js's
 * wasm backend asserts XNNPACK's operator count in AvgPool_test.cc the same way.)
 * No timing is asserted here; bench/pooling.js measures.
 */
import { hang } from "../helpers/hang";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { F, Tensor, nn, torch } from "../../src/index";
import { PathCounts, PoolOp, poolingPaths, resetPoolingPaths } from "../../src/pooling/fast";
import { inHeap } from "../../src/tensor/heap";

const SHAPE = [2, 8, 32, 32]; // 16 Ki float32 = 64 KiB: big enough for the heap

/** The paths `fn` took, per op. */
function pathsOf(fn: () => unknown): Partial<Record<PoolOp, PathCounts>> {
  resetPoolingPaths();
  fn();
  return poolingPaths();
}
const inPlace = (calls = 1): PathCounts => ({ fast: calls, copyIn: 0, reference: 0, copyOut: 0 });

/** Inputs as users make them; each is float32 with SHAPE (or a 3-D slice of it). */
const MAKERS: [string, () => Tensor][] = [
  ["torch.randn", () => torch.randn(SHAPE)],
  ["torch.rand", () => torch.rand(SHAPE)],
  ["torch.tensor(Float32Array)", () => torch.tensor(new Float32Array(16384).map((_, i) => (i * 7) % 13)).reshape(SHAPE)],
  ["torch.tensor(Float64Array, float32)", () => torch.tensor(new Float64Array(16384).fill(0.5), { dtype: "float32" }).reshape(SHAPE)],
  ["reshape", () => torch.randn([16384]).reshape(SHAPE)],
  ["view", () => torch.randn([16, 1024]).view(SHAPE)],
  ["clone", () => torch.randn(SHAPE).clone()],
  ["relu", () => torch.randn(SHAPE).relu()],
  ["add", () => torch.randn(SHAPE).add(torch.rand(SHAPE))],
  ["mul by a number", () => torch.randn(SHAPE).mul(2)],
  ["zeros + 1", () => torch.zeros(SHAPE).add(1)],
  ["ones", () => torch.ones(SHAPE)],
  ["full", () => torch.full(SHAPE, 3)],
  ["arange(...).float()", () => torch.arange(16384).float().reshape(SHAPE)],
  ["torch.cat", () => torch.cat([torch.randn([1, 8, 32, 32]), torch.randn([1, 8, 32, 32])], 0)],
  ["a pooling output", () => F.avgPool2d(torch.randn([2, 8, 32, 32]), 3, { stride: 1, padding: 1 })],
  ["3-D (C, H, W)", () => torch.randn([16, 32, 32])],
];

beforeEach(() => resetPoolingPaths());

describe("tensors made the ordinary way live where the kernels read them", () => {
  it.each(MAKERS)("%s", (_name, make) => {
    expect(inHeap(make().data)).toBe(true);
  });
});

describe("every qualifying call takes the fast kernel, reading its input in place", () => {
  describe.each(MAKERS)("input from %s", (_name, make) => {
    it("max_pool2d (values; indices; ceil mode; pairs)", () => {
      const x = make();
      expect(pathsOf(() => F.maxPool2d(x, 3, { stride: 2, padding: 1 }))).toEqual({ max_pool2d: inPlace() });
      expect(pathsOf(() => F.maxPool2d(x, 2, { returnIndices: true }))).toEqual({ max_pool2d: inPlace() });
      expect(pathsOf(() => F.maxPool2d(x, [3, 2], { stride: [2, 1], padding: [1, 0], ceilMode: true }))).toEqual({ max_pool2d: inPlace() });
      expect(pathsOf(() => nn.MaxPool2d(7, { stride: 1, padding: 3 })(x))).toEqual({ max_pool2d: inPlace() });
    });
    it("avg_pool2d (count_include_pad, divisor_override) and lp_pool2d", () => {
      const x = make();
      expect(pathsOf(() => F.avgPool2d(x, 3, { stride: 1, padding: 1 }))).toEqual({ avg_pool2d: inPlace() });
      expect(pathsOf(() => F.avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false }))).toEqual({ avg_pool2d: inPlace() });
      expect(pathsOf(() => F.avgPool2d(x, 2, { divisorOverride: 3 }))).toEqual({ avg_pool2d: inPlace() });
      expect(pathsOf(() => nn.AvgPool2d(3, { padding: 1, stride: 2 })(x))).toEqual({ avg_pool2d: inPlace() });
      // lp_pool2d is avg_pool2d of x^p: the power lands in the heap, the pooling reads it there.
      expect(pathsOf(() => F.lpPool2d(x, 2, 2))).toEqual({ avg_pool2d: inPlace() });
    });
    it("adaptive pools (global average; max when the output size divides the input)", () => {
      const x = make();
      expect(pathsOf(() => F.adaptiveAvgPool2d(x, 1))).toEqual({ adaptive_avg_pool2d: inPlace() });
      expect(pathsOf(() => nn.AdaptiveAvgPool2d([1, 1])(x))).toEqual({ adaptive_avg_pool2d: inPlace() });
      expect(pathsOf(() => F.adaptiveMaxPool2d(x, [8, 4], { returnIndices: true }))).toEqual({ adaptive_max_pool2d: inPlace() });
    });
    it("backward passes", () => {
      const x = make();
      // Stride 1 keeps the gradient as big as the input (a smaller one is an ordinary array).
      const g = torch.randn(x.shape);
      expect(pathsOf(() => F.maxPool2dBackward(g, x, 3, { stride: 1, padding: 1 }))).toEqual({ max_pool2d_backward: inPlace() });
      const ga = torch.randn(x.shape);
      expect(pathsOf(() => F.avgPool2dBackward(ga, x, 3, { stride: 1, padding: 1 }))).toEqual({ avg_pool2d_backward: inPlace() });
    });
  });
});

describe("tensor.dispose() (for experts; never needed)", () => {
  it("gives a heap block back at once; the tensor cannot be used afterwards", async () => {
    const { heapStats } = await import("../../src/tensor/heap");
    const x = torch.randn(SHAPE);
    const before = heapStats()!.tensorBytes;
    x.dispose();
    expect(heapStats()!.tensorBytes).toBe(before - 65536);
    expect(() => x.data.length).toThrow("this tensor was disposed");
    expect(() => F.maxPool2d(x, 2)).toThrow("this tensor was disposed");
    expect(() => x.dispose()).not.toThrow(); // twice is harmless
  });
  it("Symbol.dispose calls it (`using y = F.maxPool2d(...)`)", () => {
    const y = F.maxPool2d(torch.randn([2, 8, 64, 64]), 2);
    (y as unknown as Record<symbol, () => void>)[Symbol.dispose]();
    expect(() => y.sum()).toThrow("this tensor was disposed");
  });
});

describe("the counters tell the paths apart", () => {
  it("an array made outside the module (new Tensor(new Float32Array)) is copied in, then pooled by the kernel", () => {
    const x = new Tensor(new Float32Array(16384), SHAPE, "float32");
    expect(pathsOf(() => F.maxPool2d(x, 2))).toEqual({ max_pool2d: { fast: 0, copyIn: 1, reference: 0, copyOut: 0 } });
  });
  it("float64 and dilation take the reference loop", () => {
    const x = torch.randn(SHAPE);
    expect(pathsOf(() => F.maxPool2d(x.double(), 2))).toEqual({ max_pool2d: { fast: 0, copyIn: 0, reference: 1, copyOut: 0 } });
    expect(pathsOf(() => F.maxPool2d(x, 2, { dilation: 2 }))).toEqual({ max_pool2d: { fast: 0, copyIn: 0, reference: 1, copyOut: 0 } });
  });
});

describe("a long synchronous loop never falls back to the reference loop", () => {
  const root = join(__dirname, "..", "..");
  // Tensors at a 16 MiB mark after a few calls. Every call must still take the kernel, give the
  // reference's bytes, and the heap's tensor memory must stay at the mark: at the mark the heap
  // collects NOW and takes the dead outputs' blocks back (cleanupSome); with that switched off
  // (D2L_HEAP_RECLAIM=0) later outputs go to ordinary memory through one copy. KEEP=1 keeps
  // every output alive: then nothing can come back, and the collections must back off.
  const script = `
    const { F, torch } = require(${JSON.stringify(join(root, "dist"))});
    const fast = require(${JSON.stringify(join(root, "dist", "pooling", "fast"))});
    const { heapStats } = require(${JSON.stringify(join(root, "dist", "tensor", "heap"))});
    const hash = require("node:crypto").createHash("sha256");
    torch.manualSeed(3);
    const x = torch.randn([4, 16, 64, 64]); // 1 MiB
    const g = torch.randn([4, 16, 32, 32]);
    const kept = [];
    let maxTensorBytes = 0;
    for (let i = 0; i < 120; i++) {
      const results = [
        F.maxPool2d(x, 3, { stride: 2, padding: 1, returnIndices: true }),
        F.avgPool2d(x, 3, { stride: 1, padding: 1 }),
        F.adaptiveAvgPool2d(x, 1),
        F.maxPool2dBackward(g, x, 3, { stride: 2, padding: 1 }),
      ].flat();
      if (process.env.KEEP) kept.push(results);
      if (i % 40 === 0) for (const t of results) hash.update(new Uint8Array(t.data.slice().buffer));
      maxTensorBytes = Math.max(maxTensorBytes, heapStats().tensorBytes);
    }
    const s = heapStats();
    const result = { paths: fast.poolingPaths(), hash: hash.digest("hex"), maxTensorBytes, markBytes: s.markBytes, collections: s.collectionsRequested, reclaims: s.reclaims, reclaimedBytes: s.reclaimedBytes };
    kept.length = 0;
    // Once the loop has ended, a collection it asked for gives the dead tensors' blocks back.
    const waitForBlocks = (tries) => setTimeout(() => {
      const now = heapStats().tensorBytes;
      if (now > s.markBytes / 2 && tries > 0) return waitForBlocks(tries - 1);
      console.log(JSON.stringify({ ...result, tensorBytesAfter: now }));
    }, 20);
    waitForBlocks(1500); // up to 30 s: a busy machine runs the collection late
  `;
  const run = (env: Record<string, string>) => {
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: hang(600_000), env: { ...process.env, ...env } });
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };
  const ops = ["max_pool2d", "avg_pool2d", "adaptive_avg_pool2d", "max_pool2d_backward"];
  let reference: { hash: string };
  beforeAll(() => {
    reference = run({ D2L_POOL_FAST: "0" });
  }, hang(1_200_000));

  it("480 calls at a 16 MiB mark: all on the kernels, outputs in the heap (dead ones taken back at the mark), same bytes, bounded", () => {
    const loop = run({ D2L_HEAP_LIMIT_MB: "16" });
    for (const op of ops) {
      expect(loop.paths[op].fast, op).toBe(120);
      expect(loop.paths[op].reference, op).toBe(0);
      expect(loop.paths[op].copyOut, op).toBe(0); // every output stayed in the heap
    }
    // ~2.8 MiB of outputs per round: the 16 MiB mark is reached every few rounds.
    expect(loop.reclaims).toBeGreaterThan(10);
    expect(loop.reclaimedBytes).toBeGreaterThan(100 * 2 ** 20);
    expect(loop.maxTensorBytes).toBeLessThanOrEqual(loop.markBytes);
    expect(loop.collections).toBe(0); // no tensor was refused
    expect(loop.hash).toBe(reference.hash);
  }, hang(1_200_000));

  it("without collections at the mark (D2L_HEAP_RECLAIM=0): outputs past it are copied out, one collection after the loop", () => {
    const loop = run({ D2L_HEAP_LIMIT_MB: "16", D2L_HEAP_RECLAIM: "0" });
    for (const op of ops) {
      expect(loop.paths[op].fast, op).toBe(120);
      expect(loop.paths[op].reference, op).toBe(0);
    }
    expect(loop.paths.max_pool2d.copyOut + loop.paths.avg_pool2d.copyOut).toBeGreaterThan(100); // past the mark
    expect(loop.reclaims).toBe(0);
    expect(loop.maxTensorBytes).toBeLessThanOrEqual(loop.markBytes);
    expect(loop.collections).toBe(1); // one collection asked for, run after the loop
    expect(loop.tensorBytesAfter).toBeLessThan(loop.markBytes / 2); // and the blocks came back
    expect(loop.hash).toBe(reference.hash);
  }, hang(1_200_000));

  it("every output kept alive: the collections at the mark back off (a few, not one per call), outputs copied out", () => {
    const loop = run({ D2L_HEAP_LIMIT_MB: "16", KEEP: "1" });
    for (const op of ops) {
      expect(loop.paths[op].fast, op).toBe(120);
      expect(loop.paths[op].reference, op).toBe(0);
    }
    // ~330 MiB refused past the mark: tries after 4, 8, 16, 32, 64 MiB, then every 64 MiB.
    expect(loop.reclaims).toBeGreaterThanOrEqual(1);
    expect(loop.reclaims).toBeLessThanOrEqual(10);
    expect(loop.paths.max_pool2d.copyOut).toBeGreaterThan(100);
    expect(loop.maxTensorBytes).toBeLessThanOrEqual(loop.markBytes);
    expect(loop.hash).toBe(reference.hash);
  }, hang(1_200_000));
});
