// Fast float32 pooling kernels in AssemblyScript, compiled by `npm run build` (asc, WebAssembly SIMD)
// to dist/pooling/fast/pool.wasm. The readable reference loops are src/pooling/{max,avg,adaptive,
// gradients}.ts; test/unit/fast-kernels.test.ts checks every kernel here against them.
//
// Why these are fast:
// - They read the tensors in place: every pointer is a byte offset into the shared memory where
//   the module makes big tensors (src/tensor/heap.ts), so those are not copied in (the JS side
//   copies any other input into scratch there first: src/pooling/fast/index.ts).
// - SIMD across output columns: four outputs of a row at once (f32x4). Stride 2 loads 8 cells
//   and splits them into even and odd lanes with one shuffle each.
// - Max pooling is separable: each input row's horizontal maxima are kept in a ring of kH rows
//   and reused by every output row whose window covers that row (k + k taps instead of k·k).
// - Average pooling pads and stride-splits each input row ONCE into a ring of kH rows
//   (`prepareRow`), so every tap of every window is one contiguous 4-lane load.
// - Planes [p0, p1) are independent: src/pooling/fast/runtime.ts gives each thread a range.
//
// Exactness (the same results as the reference loops, bit for bit):
// - Max: a tap replaces the running maximum only when strictly greater, so the first maximum
//   wins (f32x4.pmax(acc, v) is exactly `acc < v ? v : acc`). Reducing each row first and then
//   the rows top to bottom keeps row-major order, so ties and signed zeros come out as in the
//   reference. pmax never lets a NaN in, so a row whose cells hold a NaN is redone with
//   `maxNaN`, which also takes any NaN: the last NaN in row-major order wins, as in PyTorch.
// - Average: each lane adds its window in the reference order (row by row, left to right), in
//   float32; padding cells hold +0, and adding +0 never changes a sum that starts at +0.
//   Then one float32 division, and + 0 turns a -0 average into +0, as PyTorch does.
//
// The kernels live in one file per idea: simd.ts (shared helpers), max-rows.ts and max.ts (max
// pooling), avg.ts, global-avg.ts, backward.ts. This file is the module's export list: the build
// (asm/build.js) reads each exported kernel's parameter names from these re-exports.

export { maxPool, maxScratchBytes } from "./max";
export { avgPool, avgScratchBytes } from "./avg";
export { globalAvg } from "./global-avg";
export { maxBackward, maxBackwardScratchBytes, avgBackward, avgBackwardScratchBytes } from "./backward";
export { copyPlanes } from "./copy";
