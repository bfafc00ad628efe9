import * as fs from "node:fs";
import * as path from "node:path";
import { WasmMemory, getHeap, releaseScratch, scratchArray, setBackgroundHelper, wasm } from "../../tensor/heap";
import { MAX_ARGS, Pool, startPool, threadCount } from "./workers";
import { Way, chooseWay, record } from "./choose";

export { threadCount, threadStats } from "./workers";

/**
 * Runs the WebAssembly kernels (asm/pool.ts → dist/pooling/fast/pool.wasm) on the shared heap,
 * split over the planes (N × C) across the calling thread and a few worker threads (./workers.ts).
 *
 * - Kernels are called with NAMED arguments (`{ x, y, inH, ... }`). Their order is the kernel's
 *   own parameter list in asm/*.ts, which the build writes to pool.abi.json: the signature is
 *   declared once, in the kernel. A kernel's planes are its `p0, p1` parameters and its
 *   per-thread buffer its `scratch` parameter; this file fills those in.
 * - The module is compiled, and the workers started, when the heap first holds a tensor (or on
 *   the first call): they start in the background while the program goes on making its
 *   tensors, and touch the heap's pages ahead of need whenever they are idle. Workers are
 *   unref'd, so they never keep a process (a grader, vitest, a notebook kernel) alive.
 * - Where workers cannot start (Node's permission model, a browser main thread), or the job is
 *   small, everything runs on the calling thread; so it does when that has been the faster way
 *   for this kind of job lately (another process has the cores: ./choose.ts).
 */

/** The kernels that run over planes, and the functions that size their scratch (asm/pool.ts). */
export type KernelName = "maxPool" | "avgPool" | "globalAvg" | "maxBackward" | "avgBackward" | "copyPlanes";
export type SizeName = "maxScratchBytes" | "avgScratchBytes" | "maxBackwardScratchBytes" | "avgBackwardScratchBytes";
/** A kernel's arguments by parameter name; `p0`, `p1` and `scratch` are filled in here. */
export type KernelArgs = Record<string, number>;
const FILLED = ["p0", "p1", "scratch"];

/** Below this many input elements a job stays on one thread (waking a worker costs ~20 µs). */
let parallelMinElements = 1 << 16;
let enabled = process.env.D2L_POOL_FAST !== "0";

/**
 * Switch the fast kernels off (`F.*` then runs the reference loops) or on; returns the previous
 * setting. For tests and benchmarks; `D2L_POOL_FAST=0` starts with them off.
 */
export function setFastPooling(on: boolean): boolean {
  const before = enabled;
  enabled = on;
  return before;
}

/**
 * Tests set 0 to send every job, however small, through the worker threads (the calling thread
 * then takes no chunk of it). Returns the previous value.
 */
export function setParallelMinElements(elements: number): number {
  const before = parallelMinElements;
  parallelMinElements = elements;
  return before;
}

interface Runtime {
  module: object;
  exports: Record<string, (...args: number[]) => number>;
  memory: WasmMemory;
  /** Each export's parameter names, in order (pool.abi.json). */
  abi: Record<string, string[]>;
}

let runtime: Runtime | null | undefined;
let loadError = "";

/** The folder with pool.wasm and pool.abi.json. */
function wasmDir(): string | null {
  const candidates = [
    __dirname, // dist/pooling/fast/
    path.join(__dirname, "..", "..", "..", "dist", "pooling", "fast"), // src/pooling/fast/ (tests)
  ];
  return candidates.find((d) => fs.existsSync(path.join(d, "pool.wasm")) && fs.existsSync(path.join(d, "pool.abi.json"))) ?? null;
}

/** The kernels, or null (no pool.wasm — run `npm run build` — or no shared memory / SIMD). */
export function fastRuntime(): Runtime | null {
  if (!enabled) return null;
  if (runtime !== undefined) return runtime;
  runtime = null;
  const dir = wasmDir();
  const heap = getHeap();
  if (!dir || !heap) {
    loadError = !dir ? "dist/pooling/fast/pool.wasm or pool.abi.json not found: run `npm run build`" : "no shared WebAssembly memory";
    return null;
  }
  try {
    const module = new wasm!.Module(fs.readFileSync(path.join(dir, "pool.wasm")));
    const instance = new wasm!.Instance(module, { env: { memory: heap.memory } });
    const abi = JSON.parse(fs.readFileSync(path.join(dir, "pool.abi.json"), "utf8")) as Runtime["abi"];
    const exports = instance.exports as Runtime["exports"];
    for (const [name, params] of Object.entries(abi)) {
      if (exports[name]?.length !== params.length) throw new Error(`pool.abi.json does not match pool.wasm at ${name}: run \`npm run build\``);
      if (params.length > MAX_ARGS) throw new Error(`${name}: more than ${MAX_ARGS} parameters`);
      // Threads fill in a kernel's planes as two neighbouring arguments.
      if (params.includes("p0") && params.indexOf("p1") !== params.indexOf("p0") + 1) throw new Error(`${name}: p1 must follow p0`);
    }
    runtime = { module, exports, memory: heap.memory, abi };
  } catch (e) {
    loadError = `pool.wasm did not load: ${(e as Error).message}`;
  }
  return runtime;
}

/** Why the fast kernels are not in use ("" when they are). */
export function fastUnavailableReason(): string {
  fastRuntime();
  return enabled ? loadError : "switched off (setFastPooling(false) or D2L_POOL_FAST=0)";
}

/** `args` in the order of `name`'s parameters; every parameter but the filled-in ones must be given. */
function positional(rt: Runtime, name: string, args: KernelArgs): number[] {
  const params = rt.abi[name];
  if (!params) throw new Error(`fast pooling: no kernel named ${name} in pool.wasm`);
  for (const key of Object.keys(args)) {
    if (!params.includes(key)) throw new Error(`fast pooling: ${name} has no parameter ${key}`);
  }
  return params.map((p) => {
    if (args[p] !== undefined) return args[p];
    if (FILLED.includes(p)) return 0;
    throw new Error(`fast pooling: ${name} needs ${p}`);
  });
}

/** The bytes of scratch one thread needs, from the kernel's own sizing function. */
export function scratchBytes(name: SizeName, args: KernelArgs): number {
  const rt = fastRuntime()!;
  return rt.exports[name](...positional(rt, name, args));
}

// ---- running a kernel --------------------------------------------------------------------------

let pool: Pool | null | undefined;

/** The worker pool, started on first use (null: one thread, or workers cannot start here). */
function workerPool(): Pool | null {
  if (pool !== undefined) return pool;
  const rt = fastRuntime();
  if (!rt) return null; // not remembered: the kernels may be switched on later
  pool = threadCount() > 1 ? startPool(rt.module, rt.memory, Object.keys(rt.abi), threadCount() - 1) : null;
  return pool;
}

// The heap asks for the workers as soon as it holds a tensor, and wakes them when it wants pages
// touched ahead of its top (src/tensor/heap.ts).
setBackgroundHelper(() => workerPool()?.wake());

/**
 * Run `kernel` over planes [0, planes) with named `args`. `scratchBytes` is what one thread needs
 * for its `scratch` parameter; `elements` (the input size) decides whether threads are worth
 * waking. False only when the memory cannot hold the scratch (4 GiB).
 */
export function runKernel(
  kernel: KernelName,
  args: KernelArgs,
  work: { planes: number; elements: number; scratchBytes?: number },
): boolean {
  const rt = fastRuntime()!;
  const { planes, elements } = work;
  // Each thread's scratch on cache lines of its own (128 bytes: a line and its prefetched
  // neighbour), so no two threads write the same line.
  const scratchBytes = Math.ceil((work.scratchBytes ?? 0) / 128) * 128;
  const base = positional(rt, kernel, args);
  const params = rt.abi[kernel];
  const planeArg = params.indexOf("p0");
  const scratchArg = params.indexOf("scratch");
  const forced = parallelMinElements === 0;
  const pool = elements >= parallelMinElements && planes > 1 ? workerPool() : null;
  // The faster way for this kind of job, as measured on its recent calls (./choose.ts).
  const kind = `${kernel} ${planes} ${elements} ${scratchBytes}`;
  const way: Way = !pool ? "one" : forced ? "all" : chooseWay(kind);
  const p = way === "all" ? pool : null;
  const threads = p ? p.size + 1 : 1;
  const scratchBlock = scratchArg >= 0 ? scratchArray(Uint8Array, threads * scratchBytes) : null;
  if (scratchArg >= 0 && !scratchBlock) return false;
  if (scratchBlock) base[scratchArg] = scratchBlock.byteOffset;
  const fn = rt.exports[kernel];
  const runHere = (p0: number, p1: number) => {
    base[planeArg] = p0;
    base[planeArg + 1] = p1;
    fn(...base);
  };
  try {
    const t0 = performance.now();
    if (!p) runHere(0, planes);
    else {
      const names = Object.keys(rt.abi);
      p.run({ kernel: names.indexOf(kernel), args: base.slice(), planes, planeArg, scratchArg, scratchStride: scratchBytes, runHere, workersOnly: forced });
    }
    if (pool && !forced) record(kind, way, performance.now() - t0);
    return true;
  } finally {
    if (scratchBlock) releaseScratch(scratchBlock);
  }
}
