import { HEAP_MIN_BYTES, inHeap, releaseScratch, releaseStorage, scratchArray, tensorArray } from "../../tensor/heap";
import type { PoolGeometry } from "../geometry";
import { KernelArgs, fastRuntime, runKernel, scratchBytes } from "./runtime";

export { fastUnavailableReason, setFastPooling, setParallelMinElements, threadCount, threadStats } from "./runtime";

/**
 * The fast paths behind `F.*` for float32 (asm/pool.ts, WebAssembly SIMD on the shared heap).
 * Each returns null when it does not apply — another dtype, dilation, no pool.wasm — and the
 * caller then runs the reference loop. Every result equals the reference loop's bit for bit
 * (test/unit/fast-kernels.test.ts checks that on random shapes, options and values), and every
 * call is counted by the path it took (`poolingPaths()`; test/unit/fast-path.test.ts).
 */

/** Largest tensor (elements) a 32-bit WebAssembly memory can hold with room to spare. */
const MAX_ELEMENTS = 2 ** 28;

/** Whether the fast kernels are loaded (they need dist/pooling/fast/pool.wasm: `npm run build`). */
export function fastPoolingAvailable(): boolean {
  return fastRuntime() !== null;
}

// ---- which path each call took -----------------------------------------------------------------

/**
 * Per op, how many calls took each path: `fast` (the kernel read its inputs where they were),
 * `copyIn` (the kernel ran after copying an input that lived outside the heap), `reference`
 * (the readable loop: another dtype, dilation, kernels off). `copyOut` counts the fast calls
 * whose big output went to an ordinary array through one copy (tensors at the heap's mark).
 */
export interface PathCounts {
  fast: number;
  copyIn: number;
  reference: number;
  copyOut: number;
}
export type PoolOp = "max_pool2d" | "avg_pool2d" | "adaptive_avg_pool2d" | "adaptive_max_pool2d" | "max_pool2d_backward" | "avg_pool2d_backward";

const paths = new Map<PoolOp, PathCounts>();
function count(op: PoolOp): PathCounts {
  let c = paths.get(op);
  if (!c) paths.set(op, (c = { fast: 0, copyIn: 0, reference: 0, copyOut: 0 }));
  return c;
}

/** The counts since the start (or the last reset), per op: a copy. */
export function poolingPaths(): Partial<Record<PoolOp, PathCounts>> {
  return Object.fromEntries([...paths].map(([op, c]) => [op, { ...c }]));
}
export function resetPoolingPaths(): void {
  paths.clear();
}

// ---- one call's memory -------------------------------------------------------------------------

type Out = Float32Array | Float64Array | Int32Array;
type OutType<T extends Out> = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; new (length: number): T; BYTES_PER_ELEMENT: number };

/**
 * The heap blocks of one call. Inputs are read in place when they live in the heap, else copied
 * into scratch. An output is written where the caller gets it — a heap tensor block — while
 * tensors are under the heap's mark; past it (or when small) the kernel writes to scratch and
 * the caller gets an ordinary array through one copy, which the garbage collector frees even
 * inside a synchronous loop. Scratch never counts against the mark, so a call always finds room.
 */
class Job {
  private readonly scratch: ArrayBufferView[] = [];
  private readonly outputs: ArrayBufferView[] = [];
  copiedIn = false;
  copiedOut = false;

  /** The input's byte offset in the heap (a copy in scratch if it lives elsewhere), or null. */
  input(data: Float32Array): number | null {
    if (inHeap(data)) return data.byteOffset;
    const copy = this.temporary(Float32Array, data.length);
    if (!copy) return null;
    copy.set(data);
    this.copiedIn = true;
    return copy.byteOffset;
  }

  /** A buffer for an output: a heap tensor block when there is room under the mark, else scratch. */
  output<T extends Out>(Type: OutType<T>, length: number, zero: boolean): T | null {
    const block = tensorArray(Type, length, zero);
    if (block) {
      this.outputs.push(block);
      return block;
    }
    return this.temporary(Type, length, zero);
  }

  /** Scratch that lives until the call ends. */
  temporary<T extends Out>(Type: OutType<T>, length: number, zero = false): T | null {
    const array = scratchArray(Type, length, zero);
    if (array) this.scratch.push(array);
    return array;
  }

  /** What the caller gets: the heap block itself, or an ordinary copy of a scratch buffer. */
  result<T extends Out>(array: T): T {
    if (this.outputs.includes(array)) return array;
    if (array.byteLength >= HEAP_MIN_BYTES) this.copiedOut = true;
    // Uninitialised memory (no zero-fill pass): every byte is written by the copy.
    const bytes = Buffer.allocUnsafeSlow(array.byteLength);
    const copy = new (array.constructor as OutType<T>)(bytes.buffer, bytes.byteOffset, array.length);
    copy.set(array);
    return copy;
  }

  /** Free the scratch; after a failure, the outputs too. */
  end(failed: boolean): void {
    for (const a of this.scratch) releaseScratch(a);
    if (failed) for (const a of this.outputs) releaseStorage(a);
  }
}

/**
 * Run `body` with a Job and count the path it took; null (the kernel does not apply, or the
 * memory cannot grow) or an exception frees everything it took.
 */
function withJob<R>(op: PoolOp, applies: boolean, body: (job: Job) => R | null): R | null {
  const counts = count(op);
  if (!applies) {
    counts.reference++;
    return null;
  }
  const job = new Job();
  let result: R | null = null;
  try {
    result = body(job);
    return result;
  } finally {
    job.end(result === null);
    if (result === null) counts.reference++;
    else {
      if (job.copiedIn) counts.copyIn++;
      else counts.fast++;
      if (job.copiedOut) counts.copyOut++;
    }
  }
}

function applies(data: ArrayLike<number>, g: PoolGeometry): data is Float32Array {
  return (
    data instanceof Float32Array &&
    g.dH === 1 &&
    g.dW === 1 &&
    data.length > 0 &&
    data.length <= MAX_ELEMENTS &&
    g.planes * g.outH * g.outW <= MAX_ELEMENTS &&
    fastRuntime() !== null
  );
}

/** The geometry parameters every pooling kernel takes, by name. */
function geometryArgs(g: PoolGeometry): KernelArgs {
  const { inH, inW, outH, outW, kH, kW, sH, sW, pH, pW } = g;
  return { inH, inW, outH, outW, kH, kW, sH, sW, pH, pW };
}

// ---- the ops -----------------------------------------------------------------------------------

/**
 * Max pooling: values, and the flat indices as float64 (an int64 tensor's storage) with
 * `indices: "int64"`. `op` says which F.* call this is (adaptive max uses it too).
 */
export function fastMaxPool2d(
  data: ArrayLike<number>,
  g: PoolGeometry,
  indices: "none" | "int64",
  op: PoolOp = "max_pool2d",
): { output: Float32Array; indices?: Float64Array } | null {
  return withJob(op, applies(data, g), (job) => {
    const size = g.planes * g.outH * g.outW;
    const x = job.input(data as Float32Array);
    const output = job.output(Float32Array, size, false);
    const index = indices === "int64" ? job.output(Float64Array, size, false) : null;
    if (x === null || !output || (indices === "int64" && !index)) return null;
    if (!runMax({ x, y: output.byteOffset, yi: index ? index.byteOffset : 0, indexF64: 1 }, g, data.length)) return null;
    return index ? { output: job.result(output), indices: job.result(index) } : { output: job.result(output) };
  });
}

/** The max kernel; `yi` 0 for no indices, `indexF64` 1 for float64 indices (else int32). */
function runMax(at: { x: number; y: number; yi: number; indexF64: number }, g: PoolGeometry, elements: number): boolean {
  const scratch = scratchBytes("maxScratchBytes", { kH: g.kH, outW: g.outW });
  return runKernel("maxPool", { ...at, ...geometryArgs(g) }, { planes: g.planes, elements, scratchBytes: scratch });
}

export interface FastAvgOptions {
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

/** The kernels' divisor parameters; null when the divisor is not exact in float32. */
function divisorArgs(options: FastAvgOptions, g: PoolGeometry): { divisorMode: number; divisor: number } | null {
  const d = options.divisorOverride;
  if (d !== undefined && d !== null) return Math.abs(d) <= 2 ** 24 ? { divisorMode: 2, divisor: d } : null;
  // A window's cell count is at most kH·kW; beyond 2^24 float32 would round it.
  if (g.kH * g.kW > 2 ** 24) return null;
  return { divisorMode: (options.countIncludePad ?? true) ? 0 : 1, divisor: 0 };
}

/** Average pooling, float32, bit for bit the reference's row-then-column float32 sums. */
export function fastAvgPool2d(data: ArrayLike<number>, g: PoolGeometry, options: FastAvgOptions): Float32Array | null {
  const divisor = divisorArgs(options, g);
  return withJob("avg_pool2d", divisor !== null && applies(data, g), (job) => {
    const x = job.input(data as Float32Array);
    const output = job.output(Float32Array, g.planes * g.outH * g.outW, false);
    if (x === null || !output) return null;
    const scratch = scratchBytes("avgScratchBytes", { inW: g.inW, outW: g.outW, kH: g.kH, kW: g.kW, sW: g.sW, pW: g.pW });
    const args = { x, y: output.byteOffset, ...geometryArgs(g), ...divisor! };
    if (!runKernel("avgPool", args, { planes: g.planes, elements: data.length, scratchBytes: scratch })) return null;
    return job.result(output);
  });
}

/** Global average pooling (adaptive output 1×1): each plane's float32 sum / H / W. */
export function fastGlobalAvgPool(data: ArrayLike<number>, planes: number, H: number, W: number): Float32Array | null {
  const g = { planes, inH: H, inW: W, outH: 1, outW: 1, dH: 1, dW: 1 } as PoolGeometry;
  return withJob("adaptive_avg_pool2d", applies(data, g), (job) => {
    const x = job.input(data as Float32Array);
    const output = job.output(Float32Array, planes, false);
    if (x === null || !output) return null;
    runKernel("globalAvg", { x, y: output.byteOffset, H, W }, { planes, elements: data.length });
    return job.result(output);
  });
}

/**
 * Max pooling backward: one kernel per plane — the forward's int32 indices in the thread's
 * scratch, the plane zeroed, then gradIn[index] += gradOut in order. The output needs no zero fill.
 */
export function fastMaxPool2dBackward(gradOutput: ArrayLike<number>, data: ArrayLike<number>, g: PoolGeometry): Float32Array | null {
  return withJob("max_pool2d_backward", applies(data, g) && gradOutput instanceof Float32Array, (job) => {
    const x = job.input(data as Float32Array);
    const grad = job.input(gradOutput as Float32Array);
    const gradIn = job.output(Float32Array, data.length, false);
    if (x === null || grad === null || !gradIn) return null;
    const scratch = scratchBytes("maxBackwardScratchBytes", { kH: g.kH, outH: g.outH, outW: g.outW });
    const args = { gin: gradIn.byteOffset, gout: grad, x, ...geometryArgs(g) };
    if (!runKernel("maxBackward", args, { planes: g.planes, elements: data.length, scratchBytes: scratch })) return null;
    return job.result(gradIn);
  });
}

/** Average pooling backward, in the reference's order of float32 additions; every cell written. */
export function fastAvgPool2dBackward(
  gradOutput: ArrayLike<number>,
  data: ArrayLike<number>,
  g: PoolGeometry,
  options: FastAvgOptions,
): Float32Array | null {
  const divisor = divisorArgs(options, g);
  return withJob("avg_pool2d_backward", divisor !== null && applies(data, g) && gradOutput instanceof Float32Array, (job) => {
    const grad = job.input(gradOutput as Float32Array);
    const gradIn = job.output(Float32Array, data.length, false);
    if (grad === null || !gradIn) return null;
    const { inH, inW, outW, kH, kW, sH, sW, pH, pW } = g;
    const scratch = scratchBytes("avgBackwardScratchBytes", { inH, inW, outW, kH, kW, sH, sW, pH, pW });
    const args = { gin: gradIn.byteOffset, gout: grad, ...geometryArgs(g), ...divisor! };
    if (!runKernel("avgBackward", args, { planes: g.planes, elements: data.length, scratchBytes: scratch })) return null;
    return job.result(gradIn);
  });
}

/**
 * Copy heap array `src` into heap array `dst` (same length) on the kernels' threads, split into
 * `planes` equal parts: `npm run bench` times it as the machine's copy bandwidth, the floor for
 * a kernel that reads its input once and writes its output once. False when either array is not
 * in the heap or the parts are not whole floats.
 */
export function fastCopy(src: Float32Array, dst: Float32Array, planes: number): boolean {
  if (!fastRuntime() || !inHeap(src) || !inHeap(dst) || src.length !== dst.length || src.length % planes !== 0) return false;
  const args = { src: src.byteOffset, dst: dst.byteOffset, planeBytes: (src.length / planes) * 4 };
  return runKernel("copyPlanes", args, { planes, elements: src.length });
}
