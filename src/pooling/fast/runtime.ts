import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { WasmMemory, getHeap, releaseScratch, scratchArray, wasm } from "../../tensor/heap";

/**
 * Runs the WebAssembly kernels (asm/pool.ts → dist/pooling/fast/pool.wasm) on the shared heap,
 * split over the planes (N × C) across the main thread and a few worker threads.
 *
 * - Kernels are called with NAMED arguments (`{ x, y, inH, ... }`). Their order is the kernel's
 *   own parameter list in asm/pool.ts, which the build writes to pool.abi.json: the signature is
 *   declared once, in the kernel. A kernel's planes are its `p0, p1` parameters and its
 *   per-thread buffer its `scratch` parameter; this file fills those in.
 * - The module and the worker pool are made on first use. Workers are unref'd, so they never
 *   keep a process (a grader, vitest, a notebook kernel) alive.
 * - A call is synchronous, as `F.*` is: the main thread posts the job through a small
 *   SharedArrayBuffer, does its own share of the planes, then waits (Atomics.wait) for the
 *   others. No messages, so it works while the event loop is blocked.
 * - Where workers cannot start (Node's permission model, a browser main thread), or the job is
 *   small, everything runs on the calling thread; so it does for a while after the workers lagged
 *   behind (another process had the cores).
 */

/** The kernels that run over planes, and the functions that size their scratch (asm/pool.ts). */
export type KernelName = "maxPool" | "avgPool" | "globalAvg" | "maxBackward" | "avgBackward";
export type SizeName = "maxScratchBytes" | "avgScratchBytes" | "maxBackwardScratchBytes" | "avgBackwardScratchBytes";
/** A kernel's arguments by parameter name; `p0`, `p1` and `scratch` are filled in here. */
export type KernelArgs = Record<string, number>;
const FILLED = ["p0", "p1", "scratch"];

const MAX_ARGS = 24;
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
 * When the workers keep lagging behind (another process has the cores: three calls in a row),
 * calls run on the calling thread for a while — longer each time it happens again — then try
 * the workers again; right after such a while, one lagging call is enough to go back to it. One
 * late call (a page fault, a timer) does not count; ten good calls in a row forgive the past.
 */
let soloUntil = 0;
let soloMs = 20;
let lagStreak = 0;
let goodStreak = 0;
const stats = { parallelCalls: 0, lagging: 0 };

/** How many calls used the workers, how many of those found them lagging (for the bench). */
export function threadStats(): { parallelCalls: number; lagging: number } {
  return { parallelCalls: stats.parallelCalls, lagging: stats.lagging };
}

/**
 * Tests set 0 to send every job, however small, through the worker threads (and never fall back
 * to one thread because the workers lag). Returns the previous value.
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

// ---- worker threads ----------------------------------------------------------------------------

// Control block, Int32 slots: 0 job generation, 1 threads still working, 2 kernel (its index in
// the ABI's names), 3 error flag, 4 next chunk, 5 chunk size (planes), 6 planes, 7 where the
// kernel takes p0 (then p1), 8 + i: worker i ready. Float64 arguments from byte 128: MAX_ARGS per
// thread, in the kernel's order.
const GENERATION = 0;
const PENDING = 1;
const KERNEL = 2;
const FAILED = 3;
const NEXT = 4;
const CHUNK = 5;
const PLANES = 6;
const PLANE_ARG = 7;
const READY = 8;
const ARGS_BYTE = 128;

/**
 * A worker: wait for a job, then take chunks of planes from the shared counter until none are
 * left (so a thread slowed by another process simply takes fewer chunks).
 */
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { module, memory, control, index, names, maxArgs, argsByte } = workerData;
const run = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctl = new Int32Array(control);
const args = new Float64Array(control, argsByte + (index + 1) * maxArgs * 8, maxArgs);
let seen = Atomics.load(ctl, ${GENERATION});
Atomics.store(ctl, ${READY} + index, 1);
Atomics.notify(ctl, ${READY} + index);
for (;;) {
  Atomics.wait(ctl, ${GENERATION}, seen);
  seen = Atomics.load(ctl, ${GENERATION});
  try {
    const kernel = run[names[Atomics.load(ctl, ${KERNEL})]];
    const a = Array.from(args);
    const chunk = ctl[${CHUNK}], planes = ctl[${PLANES}], at = ctl[${PLANE_ARG}];
    for (let p0 = Atomics.add(ctl, ${NEXT}, 1) * chunk; p0 < planes; p0 = Atomics.add(ctl, ${NEXT}, 1) * chunk) {
      a[at] = p0;
      a[at + 1] = Math.min(p0 + chunk, planes);
      kernel(...a);
    }
  } catch (e) {
    Atomics.store(ctl, ${FAILED}, 1);
  } finally {
    if (Atomics.sub(ctl, ${PENDING}, 1) === 1) Atomics.notify(ctl, ${PENDING});
  }
}
`;

interface Pool {
  workers: { terminate(): Promise<number> }[];
  control: Int32Array;
  args: Float64Array;
}

let pool: Pool | null | undefined;

/** How many threads a job may use: the cores Node reports, or D2L_POOL_THREADS. */
export function threadCount(): number {
  const env = Number(process.env.D2L_POOL_THREADS);
  if (Number.isInteger(env) && env >= 1) return Math.min(env, 16);
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cores, 8));
}

function workerPool(): Pool | null {
  if (pool !== undefined) return pool;
  pool = null;
  const rt = fastRuntime();
  const count = threadCount() - 1;
  if (!rt || count < 1) return null;
  const control = new SharedArrayBuffer(ARGS_BYTE + (count + 1) * MAX_ARGS * 8);
  const ctl = new Int32Array(control);
  const workers: Pool["workers"] = [];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Worker } = require("node:worker_threads") as typeof import("node:worker_threads");
    for (let index = 0; index < count; index++) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module: rt.module, memory: rt.memory, control, index, names: Object.keys(rt.abi), maxArgs: MAX_ARGS, argsByte: ARGS_BYTE },
        stdout: false,
        stderr: false,
      });
      worker.unref();
      worker.on("error", () => {
        pool = null; // a broken worker: later calls run on the main thread
      });
      workers.push(worker);
    }
    // Wait (synchronously) until every worker has its instance; give up after a few seconds.
    const deadline = Date.now() + 5000;
    for (let index = 0; index < count; index++) {
      while (Atomics.load(ctl, READY + index) !== 1) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error("worker did not start");
        Atomics.wait(ctl, READY + index, 0, Math.min(left, 50));
      }
    }
  } catch {
    // e.g. ERR_ACCESS_DENIED under `node --experimental-permission`: stay on one thread.
    for (const w of workers) void w.terminate();
    return null;
  }
  pool = { workers, control: ctl, args: new Float64Array(control, ARGS_BYTE, (count + 1) * MAX_ARGS) };
  return pool;
}

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
  const wanted = elements >= parallelMinElements && planes > 1 && (forced || performance.now() >= soloUntil);
  const p = wanted ? workerPool() : null;
  const threads = p ? p.workers.length + 1 : 1;
  const scratchBlock = scratchArg >= 0 ? scratchArray(Uint8Array, threads * scratchBytes) : null;
  if (scratchArg >= 0 && !scratchBlock) return false;
  const forThread = (t: number): number[] => {
    const a = base.slice();
    if (scratchBlock) a[scratchArg] = scratchBlock.byteOffset + t * scratchBytes;
    return a;
  };
  try {
    if (threads === 1) {
      const a = forThread(0);
      a[planeArg] = 0;
      a[planeArg + 1] = planes;
      rt.exports[kernel](...a);
      return true;
    }
    // About 8 chunks per thread, a multiple of 4 planes when there are enough (globalAvg runs
    // 4 planes per SIMD vector).
    let chunk = Math.max(1, Math.ceil(planes / (threads * 8)));
    if (planes >= 16 * threads) chunk = Math.ceil(chunk / 4) * 4;
    const ctl = p!.control;
    for (let t = 1; t < threads; t++) p!.args.set(forThread(t), t * MAX_ARGS);
    Atomics.store(ctl, KERNEL, Object.keys(rt.abi).indexOf(kernel));
    Atomics.store(ctl, FAILED, 0);
    Atomics.store(ctl, NEXT, 0);
    Atomics.store(ctl, CHUNK, chunk);
    Atomics.store(ctl, PLANES, planes);
    Atomics.store(ctl, PLANE_ARG, planeArg);
    Atomics.store(ctl, PENDING, p!.workers.length);
    Atomics.add(ctl, GENERATION, 1);
    Atomics.notify(ctl, GENERATION);
    const t0 = performance.now();
    const a = forThread(0);
    for (let p0 = Atomics.add(ctl, NEXT, 1) * chunk; p0 < planes; p0 = Atomics.add(ctl, NEXT, 1) * chunk) {
      a[planeArg] = p0;
      a[planeArg + 1] = Math.min(p0 + chunk, planes);
      rt.exports[kernel](...a);
    }
    const t1 = performance.now();
    const deadline = Date.now() + 120_000;
    for (let left = Atomics.load(ctl, PENDING); left !== 0; left = Atomics.load(ctl, PENDING)) {
      if (Date.now() > deadline) throw new Error("fast pooling: a worker thread stopped answering");
      Atomics.wait(ctl, PENDING, left, 1000);
    }
    const t2 = performance.now();
    // Waiting for the workers for over a third of the call means they were not running.
    stats.parallelCalls++;
    if (!forced && t2 - t0 > 0.2 && t2 - t1 > (t2 - t0) / 3) {
      stats.lagging++;
      goodStreak = 0;
      if (++lagStreak >= (soloMs > 20 ? 1 : 3)) {
        soloUntil = t2 + soloMs;
        soloMs = Math.min(soloMs * 2, 2000);
        lagStreak = 0;
      }
    } else {
      lagStreak = 0;
      if (++goodStreak >= 10) soloMs = 20;
    }
    if (Atomics.load(ctl, FAILED)) throw new Error(`fast pooling: ${kernel} failed in a worker thread`);
    return true;
  } finally {
    if (scratchBlock) releaseScratch(scratchBlock);
  }
}
