#!/usr/bin/env node
// One process of `npm run bench`'s `fresh` mode (bench/pooling.js starts it with plain `node`, as a
// user runs a script): a new process that pools and KEEPS every output (no dispose, no reuse:
// what a notebook or a script does), timed from its very first call in turn with tfjs-wasm.
//
//   node bench/pooling-fresh.js WORKLOAD_INDEX [CALLS=10]
//
// In order: load both libraries; make the input (torch.randn(...).relu(), on the module's heap);
// give tfjs-wasm the same values (NHWC) and 20 untimed calls, so it is timed at its steady state
// (its first calls on a workload are several times slower: tfjs is NOT timed fresh); then CALLS
// calls of ours (each output pushed into an array) and of tfjs (read back, disposed) in turn.
// Prints one JSON line: every call's milliseconds, and how the process got there.
const { performance } = require("node:perf_hooks");
const started = performance.now();
const { WORKLOADS, input, ours, loadTf, tfjs } = require("./workloads");
const fast = require("../dist/pooling/fast");
const { heapStats } = require("../dist/tensor/heap");

async function main() {
  const w = WORKLOADS[Number(process.argv[2])];
  const calls = Number(process.argv[3] ?? 10);
  if (!w || !(calls > 0)) throw new Error("usage: node bench/pooling-fresh.js WORKLOAD_INDEX [CALLS]");
  await loadTf("wasm");
  const loaded = performance.now();
  const x = input(w.shape);
  const made = performance.now();
  const t = tfjs(w, false, x);
  for (let i = 0; i < 20; i++) t.done(t.run());
  const job = ours(w, { release: false, x });
  const kept = [];
  const times = { ours: [], tfjs: [] };
  const first = performance.now();
  for (let i = 0; i < calls; i++) {
    let t0 = performance.now();
    kept.push(job.run());
    times.ours.push(performance.now() - t0);
    t0 = performance.now();
    const r = t.run();
    times.tfjs.push(performance.now() - t0);
    t.done(r);
  }
  const heap = heapStats();
  console.log(
    JSON.stringify({
      name: w.name,
      ...times,
      ms: { load: loaded - started, input: made - loaded, untilFirstCall: first - made },
      kept: kept.length,
      heap: { touchedAheadMB: heap.touchedAheadBytes / 2 ** 20, topMB: heap.topBytes / 2 ** 20 },
      threads: fast.threadStats(),
      reason: fast.fastUnavailableReason(),
    }),
  );
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
