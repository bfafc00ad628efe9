import { totalmem } from "node:os";
import { CleanableRegistry, collector } from "./collector";

/**
 * Where big tensors live: one shared WebAssembly.Memory.
 *
 * The fast pooling kernels (src/pooling/fast/) are WebAssembly, and WebAssembly reads only its own
 * memory. Copying an 8×64×112×112 input into it on every call would cost as much as the pooling,
 * so big float tensors are made here from the start (`tensorArray`, used by `allocate()` in
 * ./storage.ts): a Float32Array view of this memory behaves like any other typed array, and a
 * kernel reads it in place. The memory is shared (SharedArrayBuffer), so worker threads read it
 * too, and growing it never detaches the views already handed out.
 *
 * The memory holds two kinds of blocks:
 * - TENSOR blocks, given back when their array is garbage-collected (a FinalizationRegistry), or at
 *   once by `releaseStorage` (what `tf.dispose` is to TensorFlow.js). Tensor blocks stop at a mark
 *   (512 MiB by default). A FinalizationRegistry never runs inside synchronous code, so a loop of
 *   calls would get none of its dead tensors' blocks back before it ends: at the mark the heap
 *   asks V8 for a collection NOW and runs the registry's callbacks at once (`cleanupSome`, see
 *   ./collector.ts), and the loop goes on in the blocks of the tensors it dropped. Where that
 *   cannot be done, or too few tensors were dead, a new tensor past the mark is an ordinary typed
 *   array, and one collection is asked for once the current code has finished.
 * - SCRATCH blocks, the kernels' own copies and buffers, taken and given back within one call
 *   (`scratchArray` / `releaseScratch`). They do not count against the mark, so a call always
 *   finds room for them (up to the 4 GiB a 32-bit WebAssembly memory can address).
 *
 * New memory costs a page fault per 4 KiB the first time it is written — as much as the pooling
 * itself on a big output. So the heap keeps a window of pages past its top touched ahead of
 * need: a background helper (the kernels' idle worker threads, src/pooling/fast/workers.ts)
 * touches them whenever the heap asks (`prefaultControl`, `setBackgroundHelper`).
 *
 * A view made with `subarray()` does not keep its block alive: keep the tensor, or copy.
 */

export const HEAP_MIN_BYTES = 1 << 16;
const PAGE = 1 << 16; // WebAssembly page
const ALIGN = 64; // a cache line; also 16-byte SIMD alignment
const MAX_PAGES = 65536; // 4 GiB, all a 32-bit WebAssembly memory can address
/** The first page holds the kernel module's static data. */
const RESERVED = PAGE;
/**
 * Bytes kept readable after the last block: SIMD kernels may load a few cells past a row's end
 * (and mask them out), which must not run off the end of the memory.
 */
const SLACK = 4096;
const MAX_BYTES = MAX_PAGES * PAGE - SLACK;
/** D2L_HEAP_RECLAIM=0: no collection inside synchronous code at the mark (outputs past it are copied out). */
const RECLAIM = process.env.D2L_HEAP_RECLAIM !== "0";
/** Pages are touched ahead of the top in units of this many bytes, by a helper thread. */
const TOUCH_UNIT = 1 << 16;
const OS_PAGE = 4096;
/** How far ahead of the top: four times the largest tensor so far, within these bounds. */
const AHEAD_MIN = 32 << 20;
const AHEAD_MAX = 128 << 20;

/** The parts of the WebAssembly JS API used here (the project's `lib` has no WebAssembly types). */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
export interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
export const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

interface Block {
  start: number;
  size: number;
}

class Heap {
  readonly memory: WasmMemory;
  /** Every SharedArrayBuffer this memory has shown (a new one after each grow). */
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  private readonly live = new Map<number, number>(); // start -> size, tensor and scratch blocks
  private readonly free: Block[] = []; // sorted by start, coalesced; contents dirty
  private top = RESERVED; // everything from here to the end is unused
  private clean = RESERVED; // everything from here to the end has never been written: zero
  /** Bytes in tensor blocks not yet given back (what the mark limits). */
  tensorBytes = 0;
  readonly #registry: CleanableRegistry<number>;
  private readonly owners = new WeakSet<ArrayBufferView>(); // tensor arrays handed out, not yet freed
  /** Pages touched ahead of the top: [units touched, units wanted], units of TOUCH_UNIT bytes. */
  readonly prefault = new Int32Array(
    // A browser page without cross-origin isolation has no SharedArrayBuffer (but can still make
    // shared WebAssembly memory): no workers there, so a plain buffer serves the one thread.
    typeof SharedArrayBuffer === "function" ? new SharedArrayBuffer(8) : new ArrayBuffer(8),
  );
  private largestTensor = 0;
  /** Collections run at the mark, and the bytes they gave back. */
  readonly reclaims = { runs: 0, bytes: 0 };
  private reclaimAfter = 0; // refused bytes before the next try at the mark
  private reclaimStep = 0;

  constructor(readonly markBytes: number) {
    if (!wasm) throw new Error("no WebAssembly");
    this.memory = new wasm.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
    const Registry = collector()?.Registry ?? FinalizationRegistry;
    this.#registry = new Registry<number>((start) => this.releaseTensor(start));
    this.reclaimStep = markBytes / 4;
  }

  get buffer(): ArrayBufferLike {
    const b = this.memory.buffer;
    this.buffers.add(b);
    return b;
  }

  /** Zero [start, start + bytes): both multiples of 64. (A Float64Array fill is several times
   * faster than a byte-wise one on shared memory.) */
  private zero(start: number, bytes: number): void {
    new Float64Array(this.buffer, start, bytes / 8).fill(0);
  }

  owns(array: ArrayBufferView): boolean {
    return this.buffers.has(array.buffer);
  }

  /** A block of `bytes` (rounded up to ALIGN), first fit; -1 when the memory cannot grow. */
  alloc(bytes: number, zero: boolean): number {
    const size = Math.ceil(bytes / ALIGN) * ALIGN;
    for (let i = 0; i < this.free.length; i++) {
      const b = this.free[i];
      if (b.size < size) continue;
      const start = b.start;
      if (b.size === size) this.free.splice(i, 1);
      else {
        b.start += size;
        b.size -= size;
      }
      if (zero) this.zero(start, size);
      this.live.set(start, size);
      return start;
    }
    const start = this.top;
    const end = start + size;
    if (end > MAX_BYTES || !this.growTo(end + SLACK)) return -1;
    if (zero && start < this.clean) this.zero(start, Math.min(end, this.clean) - start);
    this.clean = Math.max(this.clean, end);
    this.top = end;
    this.live.set(start, size);
    this.touchAhead();
    return start;
  }

  /** Make the memory at least `bytes` long; false when it cannot grow that far. */
  private growTo(bytes: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return true;
    // Grow by at least a quarter, so a run of allocations grows the memory a few times only.
    const needed = Math.ceil((bytes - have) / PAGE);
    if (needed > MAX_PAGES - have / PAGE) return false;
    const pages = Math.min(Math.max(needed, Math.ceil(have / PAGE / 4)), MAX_PAGES - have / PAGE);
    try {
      this.memory.grow(pages);
    } catch {
      try {
        this.memory.grow(needed); // the OS may refuse the quarter and still allow this
      } catch {
        return false;
      }
    }
    return true;
  }

  /**
   * Ask for the pages past the top to be touched ahead of need (four times the largest tensor,
   * 32 to 128 MiB: a few outputs' worth): the memory grows to cover them (address space only),
   * the helper touches them.
   */
  private touchAhead(): void {
    const ahead = Math.min(AHEAD_MAX, Math.max(AHEAD_MIN, 4 * this.largestTensor));
    const want = Math.min(this.top + ahead, MAX_BYTES);
    if (!this.growTo(want + SLACK)) return;
    const units = Math.floor(want / TOUCH_UNIT);
    if (units <= Atomics.load(this.prefault, 1)) return;
    // Below the top, blocks are in use and written by their owners: start at the top.
    const top = Math.floor(this.top / TOUCH_UNIT);
    if (Atomics.load(this.prefault, 0) < top) Atomics.store(this.prefault, 0, top);
    Atomics.store(this.prefault, 1, units);
    backgroundHelper?.();
  }

  /** Return a block; neighbours merge, and a block at the top lowers the top. */
  release(start: number): void {
    const size = this.live.get(start);
    if (size === undefined) return;
    this.live.delete(start);
    let lo = 0;
    let hi = this.free.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.free[mid].start < start) lo = mid + 1;
      else hi = mid;
    }
    let block: Block = { start, size };
    const prev = this.free[lo - 1];
    if (prev && prev.start + prev.size === start) {
      prev.size += size;
      block = prev;
      lo--;
    } else this.free.splice(lo, 0, block);
    const next = this.free[lo + 1];
    if (next && block.start + block.size === next.start) {
      block.size += next.size;
      this.free.splice(lo + 1, 1);
    }
    if (block.start + block.size === this.top) {
      this.top = block.start;
      this.free.splice(lo, 1);
    }
  }

  /** A tensor block: under the mark, tracked until its array is collected. -1 when past the mark. */
  allocTensor(bytes: number, zero: boolean): number {
    const size = Math.ceil(bytes / ALIGN) * ALIGN;
    if (this.tensorBytes + size > this.markBytes) this.reclaim(size);
    if (this.tensorBytes + size > this.markBytes) return -1;
    const start = this.alloc(size, zero);
    if (start >= 0) {
      this.tensorBytes += size;
      if (size > this.largestTensor) {
        this.largestTensor = size;
        this.touchAhead();
      }
    }
    return start;
  }

  /**
   * At the mark: one collection now, then the dead tensors' blocks back at once (cleanupSome).
   * When that leaves the tensors above three quarters of the mark (most are alive: a program
   * keeping its outputs), the next try waits until twice as many bytes more have gone to ordinary
   * arrays — a quarter of the mark at first — so live tensors never cost a collection per call.
   */
  private reclaim(size: number): void {
    const c = collector();
    if (!RECLAIM || !c?.cleanupSome || this.refused < this.reclaimAfter) return;
    const before = this.tensorBytes;
    c.gc();
    this.#registry.cleanupSome!();
    this.reclaims.runs++;
    this.reclaims.bytes += before - this.tensorBytes;
    if (this.tensorBytes + size > (this.markBytes * 3) / 4) {
      this.reclaimAfter = this.refused + this.reclaimStep;
      this.reclaimStep = Math.min(this.reclaimStep * 2, 4 * this.markBytes);
    } else this.reclaimStep = this.markBytes / 4;
  }

  /** Bytes of tensors made as ordinary arrays because the heap was at its mark. */
  refused = 0;

  releaseTensor(start: number): void {
    const size = this.live.get(start);
    if (size === undefined) return;
    this.tensorBytes -= size;
    this.release(start);
  }

  track(array: ArrayBufferView, start: number): void {
    this.owners.add(array);
    this.#registry.register(array, start, array);
  }

  /** Stop watching a tensor array the heap handed out; its block, or undefined for any other view. */
  untrack(array: ArrayBufferView): number | undefined {
    if (!this.owners.has(array)) return undefined;
    this.owners.delete(array);
    this.#registry.unregister(array);
    return array.byteOffset;
  }

  stats(): HeapStats {
    let liveBytes = 0;
    for (const s of this.live.values()) liveBytes += s;
    return {
      liveBlocks: this.live.size,
      liveBytes,
      tensorBytes: this.tensorBytes,
      markBytes: this.markBytes,
      freeBytes: this.free.reduce((s, b) => s + b.size, 0),
      topBytes: this.top,
      memoryBytes: this.memory.buffer.byteLength,
      collectionsRequested: collections.requested,
      reclaims: this.reclaims.runs,
      reclaimedBytes: this.reclaims.bytes,
      touchedAheadBytes: Atomics.load(this.prefault, 0) * TOUCH_UNIT,
    };
  }
}

export interface HeapStats {
  liveBlocks: number;
  /** Tensor and scratch blocks in use. */
  liveBytes: number;
  /** Tensor blocks not yet given back (dead ones wait for the garbage collector). */
  tensorBytes: number;
  /** Past this many tensor bytes, new tensors are ordinary arrays. */
  markBytes: number;
  freeBytes: number;
  topBytes: number;
  memoryBytes: number;
  collectionsRequested: number;
  /** Collections run at the mark (inside synchronous code), and the tensor bytes they freed. */
  reclaims: number;
  reclaimedBytes: number;
  /** How far the helper has touched pages (from the start of the memory). */
  touchedAheadBytes: number;
}

// ---- asking V8 for a collection ----------------------------------------------------------------

/**
 * V8 sees a heap tensor as a small JS object, not as the megabytes it holds, so nothing makes it
 * collect garbage as tensors pile up (it would for ordinary typed arrays). When a tensor is
 * refused at the mark, ask for ONE full collection after the current synchronous code (the
 * FinalizationRegistry gives the blocks back then), and not again before a quarter of the mark has
 * gone to ordinary arrays since (live tensors over the mark would otherwise cost a collection per
 * call).
 */
const collections = { requested: 0, pending: false, refusedSince: Infinity };

function tensorRefused(bytes: number, markBytes: number): void {
  collections.refusedSince += bytes;
  if (collections.pending || collections.refusedSince < markBytes / 4) return;
  collections.pending = true;
  collections.refusedSince = 0;
  collections.requested++;
  const immediate = setImmediate(() => {
    collections.pending = false;
    collector()?.gc();
  });
  immediate.unref(); // never keeps a process alive
}

// ---- the helper thread that touches pages ahead --------------------------------------------------

let backgroundHelper: (() => void) | null = null;

/**
 * Who touches the heap's pages ahead of need: `wake` is called when the heap first holds a tensor
 * and whenever it wants more pages touched (src/pooling/fast/runtime.ts passes its workers').
 */
export function setBackgroundHelper(wake: () => void): void {
  backgroundHelper = wake;
}

/**
 * What a helper thread needs to touch pages ahead of the top: `prefault` holds [units touched,
 * units wanted] (Int32, units of `unitBytes` from the start of the memory); it touches one page
 * of `pageBytes` at a time with an atomic OR of 0, which changes no value whoever writes there,
 * claiming each unit with a compare-and-swap of the first slot. Null prefault without a heap.
 */
export function prefaultControl(): { prefault: SharedArrayBuffer | null; pageBytes: number; unitBytes: number } {
  const h = getHeap();
  return { prefault: h ? (h.prefault.buffer as SharedArrayBuffer) : null, pageBytes: OS_PAGE, unitBytes: TOUCH_UNIT };
}

// ---- the heap and its arrays -------------------------------------------------------------------

let heap: Heap | null | undefined;

/** The heap, made on first use; null where shared WebAssembly memory is not available. */
export function getHeap(): Heap | null {
  if (heap === undefined) {
    // 512 MiB of tensors (a quarter of the RAM on small machines) unless D2L_HEAP_LIMIT_MB says
    // otherwise. Pages the heap has touched stay with the process, so the mark (plus the largest
    // call's scratch) is also what it may keep.
    const mark = Math.min(2 ** 29, Math.max(64 * 2 ** 20, Math.floor(totalmem() / 4)));
    try {
      const asked = Number(process.env.D2L_HEAP_LIMIT_MB ?? 0) * 2 ** 20;
      heap = new Heap(Math.min(MAX_BYTES, asked > 0 ? asked : mark));
    } catch {
      heap = null;
    }
  }
  return heap;
}

export type HeapArray = Float32Array | Float64Array | Int32Array | Uint8Array;
export type HeapArrayType<T extends HeapArray> = {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  new (length: number): T;
  BYTES_PER_ELEMENT: number;
};

/**
 * A tensor's typed array of `length` elements in the heap, or null (under `minBytes`, no heap,
 * or tensors at the mark: then the caller makes an ordinary array). `zero: false` is for callers
 * that write every element. (Tests pass `minBytes` 0 to put small tensors in the heap.)
 */
export function tensorArray<T extends HeapArray>(Type: HeapArrayType<T>, length: number, zero = true, minBytes = HEAP_MIN_BYTES): T | null {
  const bytes = length * Type.BYTES_PER_ELEMENT;
  if (bytes < minBytes || bytes === 0) return null;
  const h = getHeap();
  if (!h) return null;
  const start = h.allocTensor(bytes, zero);
  if (start < 0) {
    h.refused += bytes;
    tensorRefused(bytes, h.markBytes);
    return null;
  }
  const array = new Type(h.buffer, start, length);
  h.track(array, start);
  return array;
}

/**
 * A scratch array for one call (any size, not counted against the mark); give it back with
 * `releaseScratch` before the call returns. Null only when the memory cannot grow any more.
 */
export function scratchArray<T extends HeapArray>(Type: HeapArrayType<T>, length: number, zero = false): T | null {
  const h = getHeap();
  if (!h) return null;
  const start = h.alloc(Math.max(length * Type.BYTES_PER_ELEMENT, 1), zero);
  return start < 0 ? null : new Type(h.buffer, start, length);
}

export function releaseScratch(array: ArrayBufferView): void {
  heap?.release(array.byteOffset);
}

/** Whether a kernel can read this array in place. */
export function inHeap(array: ArrayBufferView): boolean {
  return heap ? heap.owns(array) : false;
}

/**
 * Free a tensor array's heap block NOW (like `tf.dispose`). Only for arrays nothing else uses
 * any more; arrays outside the heap are left to the garbage collector.
 */
export function releaseStorage(array: ArrayBufferView): void {
  if (!heap || !heap.owns(array)) return;
  const start = heap.untrack(array);
  if (start !== undefined) heap.releaseTensor(start);
}

/** Sizes of the heap, for benchmarks and tests. */
export function heapStats(): HeapStats | null {
  return heap ? heap.stats() : null;
}
