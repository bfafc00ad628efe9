import { heapArray, inHeap, releaseStorage } from "../../tensor/heap";
import type { PoolGeometry } from "../geometry";
import { fastRuntime, kernels, runKernel } from "./runtime";

export { fastUnavailableReason, setFastPooling, setParallelMinElements, threadCount, threadStats } from "./runtime";

/**
 * The fast paths behind `F.*` for float32 (asm/pool.ts, WebAssembly SIMD on the shared heap).
 * Each returns null when it does not apply — another dtype, dilation, no pool.wasm — and the
 * caller then runs the reference loop. Every result equals the reference loop's bit for bit
 * (test/unit/fast-kernels.test.ts checks that on random shapes, options and values).
 */

/** Largest tensor (elements) a 32-bit WebAssembly memory can hold with room to spare. */
const MAX_ELEMENTS = 2 ** 28;

/** Whether the fast kernels are loaded (they need dist/pooling/fast/pool.wasm: `npm run build`). */
export function fastPoolingAvailable(): boolean {
  return fastRuntime() !== null;
}

type Out = Float32Array | Float64Array | Int32Array;
type OutType<T extends Out> = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number };

/**
 * The heap blocks of one call. Inputs are read in place when they live in the heap, else copied
 * in; outputs are written in the heap, and a small one (below the heap's size threshold) goes
 * back to the caller as an ordinary array. When the heap has no room, a step gives null and the
 * caller runs the reference loop instead.
 */
class Job {
  private readonly temporary: ArrayBufferView[] = [];
  private readonly kept: ArrayBufferView[] = [];

  /** The input's byte offset in the heap, or null. */
  input(data: Float32Array): number | null {
    if (inHeap(data)) return data.byteOffset;
    const copy = heapArray(Float32Array, data.length, false, true);
    if (!copy) return null;
    copy.set(data);
    this.temporary.push(copy);
    return copy.byteOffset;
  }

  /** A heap buffer for an output (`keep`) or for scratch, or null. */
  output<T extends Out>(Type: OutType<T>, length: number, zero: boolean, keep = true): T | null {
    const big = keep ? heapArray(Type, length, zero) : null;
    const array = big ?? heapArray(Type, length, zero, true);
    if (!array) return null;
    (big ? this.kept : this.temporary).push(array);
    return array;
  }

  /** What the caller gets: the heap array itself, or an ordinary copy of a small one. */
  result<T extends Out>(array: T): T {
    return this.kept.includes(array) ? array : (array.slice() as T);
  }

  /** Free the scratch and copies; after a failure, the outputs too. */
  end(failed: boolean): void {
    for (const a of this.temporary) releaseStorage(a);
    if (failed) for (const a of this.kept) releaseStorage(a);
  }
}

/** Run `body` with a Job; null (no room) or an exception frees everything it took. */
function withJob<R>(body: (job: Job) => R | null): R | null {
  const job = new Job();
  let result: R | null = null;
  try {
    result = body(job);
    return result;
  } finally {
    job.end(result === null);
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

function geometryArgs(g: PoolGeometry): number[] {
  return [g.inH, g.inW, g.outH, g.outW, g.kH, g.kW, g.sH, g.sW, g.pH, g.pW];
}

/**
 * Max pooling: values, and the flat indices as float64 (an int64 tensor's storage) with
 * `indices: "int64"`.
 */
export function fastMaxPool2d(
  data: ArrayLike<number>,
  g: PoolGeometry,
  indices: "none" | "int64",
): { output: Float32Array; indices?: Float64Array } | null {
  if (!applies(data, g)) return null;
  const size = g.planes * g.outH * g.outW;
  return withJob((job) => {
    const x = job.input(data);
    const output = job.output(Float32Array, size, false);
    const index = indices === "int64" ? job.output(Float64Array, size, false) : null;
    if (x === null || !output || (indices === "int64" && !index)) return null;
    if (!runMax(job, x, output.byteOffset, index ? index.byteOffset : 0, true, g, data.length)) return null;
    return index ? { output: job.result(output), indices: job.result(index) } : { output: job.result(output) };
  });
}

/** The max kernel on heap offsets; false when there is no room for its scratch. */
function runMax(job: Job, x: number, y: number, yi: number, indexF64: boolean, g: PoolGeometry, elements: number): boolean {
  const scratch = kernels().maxScratchBytes(g.kH, g.outW);
  return runKernel("maxPool", [x, y, yi, indexF64 ? 1 : 0, 0, 0, ...geometryArgs(g), 0], g.planes, elements, scratch);
}

export interface FastAvgOptions {
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

/** Divisor mode and value for the kernels; null when the divisor is not exact in float32. */
function divisorArgs(options: FastAvgOptions, g: PoolGeometry): [number, number] | null {
  const d = options.divisorOverride;
  if (d !== undefined && d !== null) return Math.abs(d) <= 2 ** 24 ? [2, d] : null;
  // A window's cell count is at most kH·kW; beyond 2^24 float32 would round it.
  if (g.kH * g.kW > 2 ** 24) return null;
  return [(options.countIncludePad ?? true) ? 0 : 1, 0];
}

/** Average pooling, float32, bit for bit the reference's row-then-column float32 sums. */
export function fastAvgPool2d(data: ArrayLike<number>, g: PoolGeometry, options: FastAvgOptions): Float32Array | null {
  const divisor = divisorArgs(options, g);
  if (!divisor || !applies(data, g)) return null;
  return withJob((job) => {
    const x = job.input(data);
    const output = job.output(Float32Array, g.planes * g.outH * g.outW, false);
    if (x === null || !output) return null;
    const scratch = kernels().avgScratchBytes(g.inW, g.outW, g.kH, g.kW, g.sW, g.pW);
    if (!runKernel("avgPool", [x, output.byteOffset, 0, 0, ...geometryArgs(g), ...divisor, 0], g.planes, data.length, scratch)) return null;
    return job.result(output);
  });
}

/** Global average pooling (adaptive output 1×1): each plane's float32 sum / H / W. */
export function fastGlobalAvgPool(data: ArrayLike<number>, planes: number, H: number, W: number): Float32Array | null {
  const g = { planes, inH: H, inW: W, outH: 1, outW: 1, dH: 1, dW: 1 } as PoolGeometry;
  if (!applies(data, g)) return null;
  return withJob((job) => {
    const x = job.input(data);
    const output = job.output(Float32Array, planes, false);
    if (x === null || !output) return null;
    runKernel("globalAvg", [x, output.byteOffset, 0, 0, H, W], planes, data.length);
    return job.result(output);
  });
}

/** Max pooling backward: the forward's int32 indices, then gradIn[index] += gradOut in order. */
export function fastMaxPool2dBackward(gradOutput: ArrayLike<number>, data: ArrayLike<number>, g: PoolGeometry): Float32Array | null {
  if (!applies(data, g) || !(gradOutput instanceof Float32Array)) return null;
  const size = g.planes * g.outH * g.outW;
  return withJob((job) => {
    const x = job.input(data);
    const grad = job.input(gradOutput);
    const index = job.output(Int32Array, size, false, false);
    const values = job.output(Float32Array, size, false, false);
    const gradIn = job.output(Float32Array, data.length, true);
    if (x === null || grad === null || !index || !values || !gradIn) return null;
    if (!runMax(job, x, values.byteOffset, index.byteOffset, false, g, data.length)) return null;
    runKernel("scatterAdd", [gradIn.byteOffset, grad, index.byteOffset, 0, 0, g.inH * g.inW, g.outH * g.outW], g.planes, size);
    return job.result(gradIn);
  });
}

/** Average pooling backward, in the reference's order of float32 additions. */
export function fastAvgPool2dBackward(
  gradOutput: ArrayLike<number>,
  data: ArrayLike<number>,
  g: PoolGeometry,
  options: FastAvgOptions,
): Float32Array | null {
  const divisor = divisorArgs(options, g);
  if (!divisor || !applies(data, g) || !(gradOutput instanceof Float32Array)) return null;
  return withJob((job) => {
    const grad = job.input(gradOutput);
    const gradIn = job.output(Float32Array, data.length, true);
    if (grad === null || !gradIn) return null;
    const scratch = kernels().avgBackwardScratchBytes(g.inW, g.outW, g.kW);
    if (!runKernel("avgBackward", [gradIn.byteOffset, grad, 0, 0, ...geometryArgs(g), ...divisor, 0], g.planes, data.length, scratch)) return null;
    return job.result(gradIn);
  });
}
