import { totalmem } from "node:os";

/**
 * Where big tensors live: one shared WebAssembly.Memory.
 *
 * The fast pooling kernels (src/pooling/fast/) are WebAssembly, and WebAssembly can only read its
 * own memory. Copying an 8×64×112×112 input into that memory on every call would cost more than
 * the pooling itself, so `allocate()` puts every array of at least HEAP_MIN_BYTES here from the
 * start: a Float32Array / Float64Array view of this memory behaves like any other typed array,
 * and a kernel reads it in place. The memory is shared (SharedArrayBuffer), so worker threads
 * read it too, and growing it never detaches the views already handed out.
 *
 * Blocks are freed when the typed array that owns them is garbage-collected (a
 * FinalizationRegistry), or at once with `releaseStorage` (what `tf.dispose` is to TensorFlow.js;
 * only for code that knows nothing else holds the array, such as a benchmark loop). A view made
 * with `subarray()` does not keep its block alive: keep the tensor, or `slice()` instead.
 * Small arrays, and any request once the heap is at its limit, are ordinary typed arrays.
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
  private readonly live = new Map<number, number>(); // start -> size
  private readonly free: Block[] = []; // sorted by start, coalesced; contents dirty
  private top = RESERVED; // everything from here to the end is unused
  private clean = RESERVED; // everything from here to the end has never been written: zero
  private readonly registry = new FinalizationRegistry<number>((start) => this.release(start));
  private readonly owners = new WeakSet<ArrayBufferView>(); // the arrays handed out, not yet freed

  constructor(readonly limitBytes: number) {
    if (!wasm) throw new Error("no WebAssembly");
    this.memory = new wasm.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
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

  /** A block of `bytes` (rounded up to ALIGN); -1 when the heap cannot hold it. */
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
    if (end > this.limitBytes) return -1;
    const have = this.memory.buffer.byteLength;
    if (end + SLACK > have) {
      // Grow by at least a quarter, so a run of allocations grows the memory a few times only.
      const needed = Math.ceil((end + SLACK - have) / PAGE);
      const pages = Math.max(needed, Math.ceil(have / PAGE / 4));
      const allowed = Math.floor((this.limitBytes + SLACK) / PAGE) - have / PAGE;
      try {
        this.memory.grow(Math.max(Math.min(pages, allowed), needed));
      } catch {
        return -1;
      }
    }
    if (zero && start < this.clean) this.zero(start, Math.min(end, this.clean) - start);
    this.clean = Math.max(this.clean, end);
    this.top = end;
    this.live.set(start, size);
    return start;
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

  track(array: ArrayBufferView, start: number): void {
    this.owners.add(array);
    this.registry.register(array, start, array);
  }

  /** Stop watching an array the heap handed out; its block, or undefined for any other view. */
  untrack(array: ArrayBufferView): number | undefined {
    if (!this.owners.has(array)) return undefined;
    this.owners.delete(array);
    this.registry.unregister(array);
    return array.byteOffset;
  }

  stats(): { liveBlocks: number; liveBytes: number; freeBytes: number; topBytes: number; memoryBytes: number } {
    let liveBytes = 0;
    for (const s of this.live.values()) liveBytes += s;
    return {
      liveBlocks: this.live.size,
      liveBytes,
      freeBytes: this.free.reduce((s, b) => s + b.size, 0),
      topBytes: this.top,
      memoryBytes: this.memory.buffer.byteLength,
    };
  }
}

let heap: Heap | null | undefined;

/** The heap, made on first use; null where shared WebAssembly memory is not available. */
export function getHeap(): Heap | null {
  if (heap === undefined) {
    // 512 MiB (a quarter of the RAM on small machines) unless D2L_HEAP_LIMIT_MB says otherwise:
    // past it, arrays are ordinary ones again and the kernels copy them in. Pages the heap has
    // touched stay with the process, so the limit is also what it may keep.
    const limit = Math.min(2 ** 29, Math.max(64 * 2 ** 20, Math.floor(totalmem() / 4)));
    try {
      const asked = Number(process.env.D2L_HEAP_LIMIT_MB ?? 0) * 2 ** 20;
      heap = new Heap(Math.min(MAX_PAGES * PAGE - PAGE - SLACK, asked > 0 ? asked : limit));
    } catch {
      heap = null;
    }
  }
  return heap;
}

type HeapArray = Float32Array | Float64Array | Int32Array | Uint8Array;
type HeapArrayConstructor = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): HeapArray; BYTES_PER_ELEMENT: number };

/**
 * A typed array of `length` elements in the heap, or null (too small, no heap, heap full).
 * `zero: false` is for kernels that write every element.
 */
export function heapArray<T extends HeapArray>(
  Type: HeapArrayConstructor & { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T },
  length: number,
  zero = true,
  force = false,
): T | null {
  const bytes = length * Type.BYTES_PER_ELEMENT;
  if (!force && bytes < HEAP_MIN_BYTES) return null;
  const h = getHeap();
  if (!h) return null;
  const start = h.alloc(Math.max(bytes, 1), zero);
  if (start < 0) return null;
  const array = new Type(h.buffer, start, length);
  h.track(array, start);
  return array as T;
}

/** Whether a kernel can read this array in place. */
export function inHeap(array: ArrayBufferView): boolean {
  return heap ? heap.owns(array) : false;
}

/**
 * Free a heap array's block NOW (like `tf.dispose`). Only for arrays nothing else uses any more;
 * arrays outside the heap are left to the garbage collector.
 */
export function releaseStorage(array: ArrayBufferView): void {
  if (!heap || !heap.owns(array)) return;
  const start = heap.untrack(array);
  if (start !== undefined) heap.release(start);
}

/** Sizes of the heap, for benchmarks and tests. */
export function heapStats(): ReturnType<Heap["stats"]> | null {
  return heap ? heap.stats() : null;
}
