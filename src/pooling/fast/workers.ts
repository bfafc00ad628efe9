import * as os from "node:os";
import { WasmMemory, prefaultControl } from "../../tensor/heap";

/**
 * The worker threads that share a kernel call's planes with the calling thread, and touch the
 * heap's pages ahead of need while they have nothing else to do.
 *
 * A call stays synchronous, as `F.*` is: the calling thread publishes the job in a small
 * SharedArrayBuffer, wakes the workers, and then every thread — the caller too — takes chunks of
 * planes from one shared ticket until none are left. The caller waits only for chunks a worker
 * has actually taken: a worker that is asleep, still starting, or descheduled by another process
 * before it took a chunk costs nothing. (One descheduled while it holds a chunk does; whether a
 * kind of job runs faster on one thread or on all is measured as it goes: ./choose.ts.)
 *
 * The ticket is one Int32: job number (12 bits) | chunks (10 bits) | next chunk (10 bits). A
 * thread takes chunk `next` with a compare-and-swap of the whole word, so a thread holding an
 * old job's word can never take a chunk of a newer one, and it reads the job's arguments only
 * after the swap (the caller writes them before the ticket, and rewrites them only after every
 * chunk of the job is done).
 */

// Control block: Int32 slots, then the job's Float64 arguments from ARGS_BYTE.
const WAKE = 0; // bumped for a new job or new pages to touch; idle workers wait on it
const TICKET = 1;
const DONE = 2; // chunks of the current job finished
const KERNEL = 3; // index of the kernel in the ABI's names
const FAILED = 4;
const CHUNK = 5; // planes per chunk
const PLANES = 6;
const PLANE_ARG = 7; // where the kernel takes p0 (then p1)
const SCRATCH_ARG = 8; // where it takes its scratch, or -1
const SCRATCH_STRIDE = 9; // bytes of scratch per thread (thread t: scratch + t · stride)
const ARG_COUNT = 10;
const WORKER_CHUNKS = 11; // chunks the workers ran (statistics)
const ARGS_BYTE = 128;
export const MAX_ARGS = 24;
const MAX_CHUNKS = 1023;

const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { module, memory, control, index, names, prefault, pageBytes, unitBytes } = workerData;
const run = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctl = new Int32Array(control);
const shared = new Float64Array(control, ${ARGS_BYTE}, ${MAX_ARGS});
const pf = prefault ? new Int32Array(prefault) : null;

/** Take and run chunks of the current job while there are any; whether it ran one. */
function work() {
  let ran = false;
  for (;;) {
    const t = Atomics.load(ctl, ${TICKET});
    const next = t & 1023;
    if (next >= ((t >>> 10) & 1023)) return ran;
    if (Atomics.compareExchange(ctl, ${TICKET}, t, t + 1) !== t) continue;
    ran = true;
    try {
      const a = Array.from(shared.subarray(0, ctl[${ARG_COUNT}]));
      const chunk = ctl[${CHUNK}], at = ctl[${PLANE_ARG}], scratch = ctl[${SCRATCH_ARG}];
      a[at] = next * chunk;
      a[at + 1] = Math.min(ctl[${PLANES}], (next + 1) * chunk);
      if (scratch >= 0) a[scratch] += (index + 1) * ctl[${SCRATCH_STRIDE}];
      run[names[ctl[${KERNEL}]]](...a);
    } catch (e) {
      Atomics.store(ctl, ${FAILED}, 1);
    }
    Atomics.add(ctl, ${WORKER_CHUNKS}, 1);
    if (Atomics.add(ctl, ${DONE}, 1) + 1 === ((t >>> 10) & 1023)) Atomics.notify(ctl, ${DONE});
  }
}

/**
 * Touch one unit of the heap's pages ahead of its top (a write fault per page, taken here
 * instead of in a kernel): an atomic OR with 0 changes no value, whoever else writes there.
 */
function touch() {
  const done = Atomics.load(pf, 0);
  if (done >= Atomics.load(pf, 1)) return false;
  if (Atomics.compareExchange(pf, 0, done, done + 1) !== done) return true;
  const buffer = memory.buffer;
  if ((done + 1) * unitBytes > buffer.byteLength) return true; // not grown that far here yet: skip
  const cells = new Int32Array(buffer, done * unitBytes, unitBytes / 4);
  for (let i = 0; i < cells.length; i += pageBytes / 4) Atomics.or(cells, i, 0);
  return true;
}

for (;;) {
  const seen = Atomics.load(ctl, ${WAKE});
  if (work()) continue;
  if (pf && touch()) continue;
  Atomics.wait(ctl, ${WAKE}, seen);
}
`;

export interface Pool {
  /** Worker threads (the calling thread is one more). */
  readonly size: number;
  /** Run `kernel` (its index in the ABI) over `planes` planes with `args`, on every thread. */
  run(job: Job): void;
  /** Wake idle workers (new pages to touch). */
  wake(): void;
}

export interface Job {
  kernel: number;
  args: number[];
  planes: number;
  planeArg: number;
  scratchArg: number;
  scratchStride: number;
  /** The calling thread's own kernel, for its share of the chunks. */
  runHere(p0: number, p1: number): void;
  /** Tests: the calling thread takes no chunk, so the workers run every one. */
  workersOnly: boolean;
}

/** How many threads a job may use: the cores Node reports, or D2L_POOL_THREADS. */
export function threadCount(): number {
  const env = Number(process.env.D2L_POOL_THREADS);
  if (Number.isInteger(env) && env >= 1) return Math.min(env, 16);
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cores, 8));
}

const stats = { parallelCalls: 0 };
let control: Int32Array | null = null;

/** How many calls were shared with the workers, and how many chunks the workers ran. */
export function threadStats(): { parallelCalls: number; workerChunks: number } {
  return { parallelCalls: stats.parallelCalls, workerChunks: control ? Atomics.load(control, WORKER_CHUNKS) : 0 };
}

/**
 * Start `count` workers for `module` on `memory`. They are unref'd (they never keep a process
 * alive) and start in the background: jobs posted before a worker is up run without it. Null
 * where workers cannot start (Node's permission model: ERR_ACCESS_DENIED).
 */
export function startPool(module: object, memory: WasmMemory, names: string[], count: number): Pool | null {
  const buffer = new SharedArrayBuffer(ARGS_BYTE + MAX_ARGS * 8);
  const ctl = new Int32Array(buffer);
  const shared = new Float64Array(buffer, ARGS_BYTE, MAX_ARGS);
  const prefault = prefaultControl();
  const workers: { terminate(): Promise<number> }[] = [];
  let broken = false;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Worker } = require("node:worker_threads") as typeof import("node:worker_threads");
    for (let index = 0; index < count; index++) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module, memory, control: buffer, index, names, ...prefault },
        stdout: false,
        stderr: false,
      });
      worker.unref();
      worker.on("error", () => {
        broken = true; // a broken worker: it takes no more chunks, and calls run on the others
      });
      workers.push(worker);
    }
  } catch {
    for (const w of workers) void w.terminate();
    return null;
  }
  control = ctl;
  let job = 0;
  const wake = () => {
    Atomics.add(ctl, WAKE, 1);
    Atomics.notify(ctl, WAKE);
  };
  /** Take chunks while any are left, running them here. */
  const takeChunks = (ticket: number, chunk: number, j: Job) => {
    for (let t = ticket; (t & MAX_CHUNKS) < ((t >>> 10) & MAX_CHUNKS); t = Atomics.load(ctl, TICKET)) {
      if (Atomics.compareExchange(ctl, TICKET, t, t + 1) !== t) continue;
      const next = t & MAX_CHUNKS;
      try {
        j.runHere(next * chunk, Math.min(j.planes, (next + 1) * chunk));
      } catch (e) {
        Atomics.store(ctl, FAILED, 1);
      }
      Atomics.add(ctl, DONE, 1);
    }
  };
  return {
    size: count,
    wake,
    run(j: Job): void {
      // About 16 chunks per thread: a thread slowed by another process takes fewer. A multiple
      // of 4 planes when there are enough (the global average runs 4 planes per SIMD vector).
      const threads = count + 1;
      let chunk = Math.max(Math.ceil(j.planes / (threads * 16)), Math.ceil(j.planes / MAX_CHUNKS));
      if (j.planes >= 16 * threads) chunk = Math.ceil(chunk / 4) * 4;
      const chunks = Math.ceil(j.planes / chunk);
      shared.set(j.args);
      ctl[ARG_COUNT] = j.args.length;
      ctl[KERNEL] = j.kernel;
      ctl[CHUNK] = chunk;
      ctl[PLANES] = j.planes;
      ctl[PLANE_ARG] = j.planeArg;
      ctl[SCRATCH_ARG] = j.scratchArg;
      ctl[SCRATCH_STRIDE] = j.scratchStride;
      Atomics.store(ctl, FAILED, 0);
      Atomics.store(ctl, DONE, 0);
      job = (job + 1) & 4095;
      const ticket = (job << 20) | (chunks << 10);
      Atomics.store(ctl, TICKET, ticket);
      wake();
      stats.parallelCalls++;
      if (!j.workersOnly || broken) takeChunks(ticket, chunk, j);
      // Then wait for the chunks the workers took (all of them, with workersOnly — unless no
      // worker has come up within 10 s: then this thread takes what is left).
      const started = Date.now();
      for (let done = Atomics.load(ctl, DONE); done < chunks; done = Atomics.load(ctl, DONE)) {
        const waited = Date.now() - started;
        if (waited > 120_000) throw new Error("fast pooling: a worker thread stopped answering");
        if (j.workersOnly && waited > 10_000) takeChunks(Atomics.load(ctl, TICKET), chunk, j);
        Atomics.wait(ctl, DONE, done, 100);
      }
      if (Atomics.load(ctl, FAILED)) throw new Error("fast pooling: a kernel failed in a worker thread");
    },
  };
}
