import { heapArray, inHeap, releaseStorage } from "../../tensor/heap";
import type { PoolGeometry } from "../geometry";
import { fastRuntime, kernels, runKernel } from "./runtime";

export { fastUnavailableReason, setFastPooling, setParallelMinElements, threadCount } from "./runtime";

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

/** A float32 input as the kernels see it: in place when it lives in the heap, else a copy. */
class Staged {
  readonly ptr: number;
  private readonly copy: Float32Array | null;
  constructor(data: Float32Array) {
    this.copy = inHeap(data) ? null : heapArray(Float32Array, data.length, false, true);
    if (this.copy) this.copy.set(data);
    else if (!inHeap(data)) throw new Error("fast pooling: no room in the WebAssembly heap");
    this.ptr = (this.copy ?? data).byteOffset;
  }
  done(): void {
    if (this.copy) releaseStorage(this.copy);
  }
}

type Out = Float32Array | Float64Array | Int32Array;
type OutType<T extends Out> = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; new (length: number): T; BYTES_PER_ELEMENT: number };

/** An output buffer in the heap; a small one is handed back as an ordinary array by `result()`. */
class Output<T extends Out> {
  readonly array: T;
  private readonly temporary: boolean;
  constructor(Type: OutType<T>, length: number, zero: boolean) {
    const big = heapArray(Type, length, zero);
    this.temporary = big === null;
    const array = big ?? heapArray(Type, length, zero, true);
    if (!array) throw new Error("fast pooling: no room in the WebAssembly heap");
    this.array = array;
  }
  get ptr(): number {
    return this.array.byteOffset;
  }
  result(): T {
    if (!this.temporary) return this.array;
    const copy = this.array.slice() as T;
    releaseStorage(this.array);
    return copy;
  }
  discard(): void {
    releaseStorage(this.array);
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
 * `indices: "int64"`, or as int32 with "int32" (for the backward pass).
 */
export function fastMaxPool2d(
  data: ArrayLike<number>,
  g: PoolGeometry,
  indices: "none",
): { output: Float32Array } | null;
export function fastMaxPool2d(
  data: ArrayLike<number>,
  g: PoolGeometry,
  indices: "int64",
): { output: Float32Array; indices: Float64Array } | null;
export function fastMaxPool2d(
  data: ArrayLike<number>,
  g: PoolGeometry,
  indices: "none" | "int64",
): { output: Float32Array; indices?: Float64Array } | null;
export function fastMaxPool2d(
  data: ArrayLike<number>,
  g: PoolGeometry,
  indices: "none" | "int64",
): { output: Float32Array; indices?: Float64Array } | null {
  if (!applies(data, g)) return null;
  const size = g.planes * g.outH * g.outW;
  const input = new Staged(data);
  const output = new Output(Float32Array, size, false);
  const index = indices === "int64" ? new Output(Float64Array, size, false) : null;
  try {
    runMax(input.ptr, output.ptr, index ? index.ptr : 0, true, g, data.length);
  } finally {
    input.done();
  }
  return index ? { output: output.result(), indices: index.result() } : { output: output.result() };
}

function runMax(x: number, y: number, yi: number, indexF64: boolean, g: PoolGeometry, elements: number): void {
  const scratch = kernels().maxScratchBytes(g.kH, g.outW);
  runKernel("maxPool", [x, y, yi, indexF64 ? 1 : 0, 0, 0, ...geometryArgs(g), 0], g.planes, elements, scratch);
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
  const input = new Staged(data);
  const output = new Output(Float32Array, g.planes * g.outH * g.outW, false);
  try {
    const scratch = kernels().avgScratchBytes(g.inW, g.outW, g.kH, g.kW, g.sW, g.pW);
    runKernel("avgPool", [input.ptr, output.ptr, 0, 0, ...geometryArgs(g), ...divisor, 0], g.planes, data.length, scratch);
  } finally {
    input.done();
  }
  return output.result();
}

/** Global average pooling (adaptive output 1×1): each plane's float32 sum / H / W. */
export function fastGlobalAvgPool(data: ArrayLike<number>, planes: number, H: number, W: number): Float32Array | null {
  const g = { planes, inH: H, inW: W, outH: 1, outW: 1, dH: 1, dW: 1 } as PoolGeometry;
  if (!applies(data, g)) return null;
  const input = new Staged(data);
  const output = new Output(Float32Array, planes, false);
  try {
    runKernel("globalAvg", [input.ptr, output.ptr, 0, 0, H, W], planes, data.length);
  } finally {
    input.done();
  }
  return output.result();
}

/** Max pooling backward: the forward's int32 indices, then gradIn[index] += gradOut in order. */
export function fastMaxPool2dBackward(gradOutput: ArrayLike<number>, data: ArrayLike<number>, g: PoolGeometry): Float32Array | null {
  if (!applies(data, g) || !(gradOutput instanceof Float32Array)) return null;
  const size = g.planes * g.outH * g.outW;
  const input = new Staged(data);
  const grad = new Staged(gradOutput);
  const index = new Output(Int32Array, size, false);
  const gradIn = new Output(Float32Array, data.length, true);
  const values = new Output(Float32Array, size, false);
  try {
    runMax(input.ptr, values.ptr, index.ptr, false, g, data.length);
    runKernel("scatterAdd", [gradIn.ptr, grad.ptr, index.ptr, 0, 0, g.inH * g.inW, g.outH * g.outW], g.planes, size);
  } finally {
    input.done();
    grad.done();
    index.discard();
    values.discard();
  }
  return gradIn.result();
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
  const grad = new Staged(gradOutput);
  const gradIn = new Output(Float32Array, data.length, true);
  try {
    runKernel("avgBackward", [gradIn.ptr, grad.ptr, 0, 0, ...geometryArgs(g), ...divisor], g.planes, data.length);
  } finally {
    grad.done();
  }
  return gradIn.result();
}
