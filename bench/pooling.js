#!/usr/bin/env node
// `npm run bench`: the project's pooling (F.maxPool2d, F.avgPool2d, F.adaptiveAvgPool2d and the
// backward passes) side by side with TensorFlow.js (wasm = XNNPACK, and cpu backends, NHWC) and
// PyTorch (Debian's python3-torch, CPU, one thread) in ONE run, on the same machine, float32.
// Each cell is the median of RUNS timed calls after WARMUP untimed ones; ours and tfjs-wasm are
// timed call by call in turn, so both see the same machine. Timings only live here; no test
// asserts any of them.
//
// Columns:
//   ours          F.* on the fast kernels; each output is freed right after its call with
//                 releaseStorage(), as tfjs outputs are with tf.dispose() and PyTorch's by refcount
//   1 thread      the same on the calling thread only (no worker threads)
//   ours, no free the same calls leaving outputs to the garbage collector: inside one synchronous
//                 loop nothing is collected, so every output lands on fresh pages (page faults)
//   reference JS  F.* with the fast kernels switched off: the readable loops in src/pooling
//   copy          input.data.slice() — a fresh copy, as the issue measured it (4–5 ms there)
//   warm copy     dst.set(input.data) into an already-used buffer: the memory-bandwidth floor
//
//   npm run bench -- [--runs 10] [--warmup 3] [--only ours,ref,tfjs-wasm,tfjs-cpu,torch] [--filter max]
//
// Prints a table and writes artifacts/bench-pooling.{json,html} (the HTML is a plotly chart).
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { performance } = require("node:perf_hooks");
const { torch, F } = require("../dist");
const { releaseStorage } = require("../dist/tensor/heap");
const fast = require("../dist/pooling/fast");
const { figureHtml } = require("../dist/plot");

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const RUNS = Number(option("--runs", "10"));
const WARMUP = Number(option("--warmup", "3"));
const ONLY = option("--only", "ours,ref,tfjs-wasm,tfjs-cpu,torch").split(",");
const FILTER = option("--filter", "");

// The workloads, then global average pooling and two backward passes.
const WORKLOADS = [
  { name: "max 3×3 s2 p1, 8×64×112×112", op: "max", shape: [8, 64, 112, 112], k: 3, s: 2, p: 1 },
  { name: "max 2×2 s2, 8×64×56×56", op: "max", shape: [8, 64, 56, 56], k: 2, s: 2, p: 0 },
  { name: "avg 3×3 s1 p1, 8×64×56×56", op: "avg", shape: [8, 64, 56, 56], k: 3, s: 1, p: 1 },
  { name: "max 7×7 s1 p3, 8×64×56×56", op: "max", shape: [8, 64, 56, 56], k: 7, s: 1, p: 3 },
  { name: "global avg, 8×64×56×56", op: "global-avg", shape: [8, 64, 56, 56] },
  { name: "max 3×3 s2 p1 + indices, 8×64×112×112", op: "max-indices", shape: [8, 64, 112, 112], k: 3, s: 2, p: 1 },
  { name: "max 3×3 s2 p1 fwd+bwd, 8×64×112×112", op: "max-backward", shape: [8, 64, 112, 112], k: 3, s: 2, p: 1 },
  { name: "avg 3×3 s1 p1 fwd+bwd, 8×64×56×56", op: "avg-backward", shape: [8, 64, 56, 56], k: 3, s: 1, p: 1 },
].filter((w) => w.name.includes(FILTER));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * A job is { run, done? }: `run()` makes one call, `done(result)` (untimed) releases what it
 * made. time() gives RUNS timings after WARMUP untimed calls.
 */
function time(job) {
  const done = job.done ?? (() => {});
  for (let i = 0; i < WARMUP; i++) done(job.run());
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const result = job.run();
    times.push(performance.now() - t0);
    done(result);
  }
  return times;
}

/**
 * Jobs timed call by call in turn (a, b, c, a, b, c, ...), so all see the same machine: other
 * processes on a 2-core machine otherwise move the ratios more than the kernels do.
 */
function timeInTurn(...jobs) {
  const dones = jobs.map((j) => j.done ?? (() => {}));
  for (let i = 0; i < WARMUP; i++) jobs.forEach((j, k) => dones[k](j.run()));
  const times = jobs.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    jobs.forEach((j, k) => {
      const t0 = performance.now();
      const r = j.run();
      times[k].push(performance.now() - t0);
      dones[k](r);
    });
  }
  return times;
}

/** A job that runs `job` on the calling thread only. */
function oneThread(job) {
  const run = () => {
    const before = fast.setParallelMinElements(Number.MAX_SAFE_INTEGER);
    try {
      return job.run();
    } finally {
      fast.setParallelMinElements(before);
    }
  };
  return { ...job, run };
}

/** The bench input: ReLU of standard normals, as a pooling layer sees after a conv + ReLU. */
function input(shape) {
  torch.manualSeed(0);
  return torch.randn(shape).relu();
}

// ---- ours ------------------------------------------------------------------------------------
/** Free what a call returned (a tensor or [output, indices]), like tf.dispose. */
const free = (result) => (Array.isArray(result) ? result : [result]).forEach((t) => releaseStorage(t.data));

function ours(w, release = true) {
  const x = input(w.shape);
  const opts = { stride: w.s, padding: w.p };
  const done = release ? free : undefined;
  switch (w.op) {
    case "max":
      return { run: () => F.maxPool2d(x, w.k, opts), done };
    case "max-indices":
      return { run: () => F.maxPool2d(x, w.k, { ...opts, returnIndices: true }), done };
    case "avg":
      return { run: () => F.avgPool2d(x, w.k, opts), done };
    case "global-avg":
      return { run: () => F.adaptiveAvgPool2d(x, 1), done };
    case "max-backward": {
      const g = torch.ones(F.maxPool2d(x, w.k, opts).shape);
      return { run: () => F.maxPool2dBackward(g, x, w.k, opts), done };
    }
    case "avg-backward": {
      const g = torch.ones(F.avgPool2d(x, w.k, opts).shape);
      return { run: () => F.avgPool2dBackward(g, x, w.k, opts), done };
    }
  }
}

/** The readable reference loops (fast kernels off). */
function reference(w) {
  const before = fast.setFastPooling(false);
  try {
    return time(ours(w, false));
  } finally {
    fast.setFastPooling(before);
  }
}

function copyOfInput(w) {
  const x = input(w.shape);
  return time({ run: () => x.data.slice() });
}

function warmCopy(w) {
  const x = input(w.shape);
  const dst = new Float32Array(x.data.length).fill(1);
  return time({ run: () => dst.set(x.data) });
}

// ---- TensorFlow.js ---------------------------------------------------------------------------
let tf = null;
async function loadTf(backend) {
  if (!tf) {
    tf = require("@tensorflow/tfjs-core");
    require("@tensorflow/tfjs-backend-cpu");
    require("@tensorflow/tfjs-backend-wasm");
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} did not start`);
  await tf.ready();
  return tf;
}

/** The same values as ours, in tfjs' NHWC layout. */
function nhwc(shape) {
  const x = input(shape).data;
  const [N, C, H, W] = shape;
  const out = new Float32Array(x.length);
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let h = 0; h < H; h++)
        for (let v = 0; v < W; v++) out[((n * H + h) * W + v) * C + c] = x[((n * C + c) * H + h) * W + v];
  return tf.tensor4d(out, [N, H, W, C]);
}

/** A tfjs job for the current backend; `cleanup()` disposes its input. */
function tfjs(w) {
  const x = nhwc(w.shape);
  const done = (r) => tf.dispose(r);
  const cleanup = () => x.dispose();
  const pool = w.op.startsWith("max") ? (t) => tf.maxPool(t, w.k, w.s, w.p) : (t) => tf.avgPool(t, w.k, w.s, w.p);
  switch (w.op) {
    case "max":
    case "avg":
      return { run: () => pool(x), done, cleanup };
    case "max-indices":
      return { run: () => tf.maxPoolWithArgmax(x, w.k, w.s, w.p), done: (r) => tf.dispose([r.result, r.indexes]), cleanup };
    case "global-avg":
      return { run: () => tf.mean(x, [1, 2]), done, cleanup };
    case "max-backward":
    case "avg-backward": {
      // What tf.grad runs (the core package ships no gradient registry): forward, then the
      // backend's MaxPoolGrad / AvgPoolGrad kernel.
      const attrs = { filterSize: w.k, strides: w.s, pad: w.p };
      const dy = tf.onesLike(pool(x));
      const grad = (y) =>
        w.op === "max-backward"
          ? tf.engine().runKernel("MaxPoolGrad", { dy, input: x, output: y }, attrs)
          : tf.engine().runKernel("AvgPoolGrad", { dy, input: x }, attrs);
      const run = () => {
        const y = pool(x);
        const g = grad(y);
        y.dispose();
        return g;
      };
      return { run, done, cleanup: () => tf.dispose([x, dy]) };
    }
  }
}

/** Time a tfjs job (in turn with `others`, if given); an error (a kernel a backend lacks) becomes a note. */
function timeTfjs(w, ...others) {
  let job;
  try {
    job = tfjs(w);
    return others.length ? timeInTurn(...others, job) : time(job);
  } catch (e) {
    const error = { error: String(e.message || e).split("\n")[0] };
    return others.length ? [...timeInTurn(...others), error] : error;
  } finally {
    job?.cleanup();
  }
}

// ---- PyTorch ---------------------------------------------------------------------------------
function pytorch() {
  const python = "/usr/bin/python3";
  if (!fs.existsSync(python)) return { error: "/usr/bin/python3 not found" };
  const r = spawnSync(python, [path.join(__dirname, "pooling_torch.py"), JSON.stringify(WORKLOADS), String(RUNS), String(WARMUP)], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) return { error: (r.stderr || "").trim().split("\n").pop() || "python3-torch failed" };
  return JSON.parse(r.stdout);
}

// ---- report ----------------------------------------------------------------------------------
const fmt = (ms) => (ms === undefined ? "–" : ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
const ratio = (a, b) => (a === undefined || b === undefined ? "–" : `${(a / b).toFixed(2)}×`);

async function main() {
  const columns = {}; // column -> name -> median ms
  const notes = [];
  const record = (column, name, times) => {
    columns[column] ??= {};
    if (Array.isArray(times)) columns[column][name] = median(times);
    else notes.push(`${column}, ${name}: ${times.error}`);
  };
  const say = (text) => process.stderr.write(text + "\n");

  const load0 = os.loadavg()[0];
  // Between workloads (untimed): collect garbage and let finalizers return heap blocks.
  const settle = async () => {
    globalThis.gc?.();
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  };
  // ours and tfjs-wasm call by call in turn (the goal compares these two), then the rest.
  const both = ONLY.includes("ours") && ONLY.includes("tfjs-wasm");
  if (ONLY.includes("tfjs-wasm")) await loadTf("wasm");
  for (const w of WORKLOADS) {
    await settle();
    if (both) {
      const [a, one, b] = timeTfjs(w, ours(w), oneThread(ours(w)));
      record("ours", w.name, a);
      record("ours-1", w.name, one);
      record("tfjs-wasm", w.name, b);
    } else if (ONLY.includes("ours")) record("ours", w.name, time(ours(w)));
    else if (ONLY.includes("tfjs-wasm")) record("tfjs-wasm", w.name, timeTfjs(w));
    await settle();
    if (ONLY.includes("ours")) record("ours-nofree", w.name, time(ours(w, false)));
    await settle();
    if (ONLY.includes("ref")) record("ref", w.name, reference(w));
    record("copy", w.name, copyOfInput(w));
    record("warm", w.name, warmCopy(w));
    say(`ours, tfjs-wasm: ${w.name}`);
  }
  if (ONLY.includes("tfjs-cpu")) {
    await loadTf("cpu");
    for (const w of WORKLOADS) {
      record("tfjs-cpu", w.name, timeTfjs(w));
      say(`tfjs-cpu: ${w.name}`);
    }
  }
  let torchInfo = "";
  if (ONLY.includes("torch")) {
    const r = pytorch();
    if (r.error) notes.push(`PyTorch column skipped: ${r.error}`);
    else {
      torchInfo = `PyTorch ${r.version}, ${r.threads} thread`;
      for (const w of WORKLOADS) if (r.times[w.name]) record("torch", w.name, r.times[w.name]);
    }
  }

  const c = (column, name) => columns[column]?.[name];
  const header = [
    "workload", "ours", "ours, 1 thread", "ours, no free", "reference JS", "tfjs-wasm", "tfjs-cpu", "PyTorch", "copy", "warm copy",
    "ours/tfjs-wasm", "1 thread/tfjs-wasm", "ours/PyTorch", "ours/copy", "ours/warm copy",
  ];
  const rows = WORKLOADS.map((w) => [
    w.name,
    ...["ours", "ours-1", "ours-nofree", "ref", "tfjs-wasm", "tfjs-cpu", "torch", "copy", "warm"].map((k) => fmt(c(k, w.name))),
    ratio(c("ours", w.name), c("tfjs-wasm", w.name)),
    ratio(c("ours-1", w.name), c("tfjs-wasm", w.name)),
    ratio(c("ours", w.name), c("torch", w.name)),
    ratio(c("ours", w.name), c("copy", w.name)),
    ratio(c("ours", w.name), c("warm", w.name)),
  ]);
  const line = (cells) => `| ${cells.join(" | ")} |`;
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), Node ${process.version}`;
  const ts = fast.threadStats();
  const threads =
    `ours: ${fast.threadCount()} thread(s), ${ts.parallelCalls} calls on the workers, ${ts.lagging} of them found the workers lagging` +
    (fast.fastUnavailableReason() ? " — FAST KERNELS OFF: " + fast.fastUnavailableReason() : "");
  const load = `load average ${load0.toFixed(2)} at the start, ${os.loadavg()[0].toFixed(2)} at the end`;
  console.log(`median ms of ${RUNS} runs (after ${WARMUP} warm-up), float32; ${machine}; ${threads}${torchInfo ? "; " + torchInfo : ""}; ${load}`);
  console.log(line(header));
  console.log(line(header.map((h, i) => (i === 0 ? "---" : "---:"))));
  for (const row of rows) console.log(line(row));
  for (const note of notes) console.log(`note: ${note}`);

  const out = path.join(__dirname, "..", "artifacts");
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, "bench-pooling.json"), JSON.stringify({ machine, runs: RUNS, warmup: WARMUP, torchInfo, columns, notes }, null, 1));
  const series = [
    ["ours", "ours"],
    ["ours-1", "ours, 1 thread"],
    ["ref", "reference JS loops"],
    ["tfjs-wasm", "tfjs-backend-wasm"],
    ["tfjs-cpu", "tfjs-backend-cpu"],
    ["torch", torchInfo || "PyTorch"],
    ["copy", "copy of input (slice)"],
    ["warm", "warm copy (set)"],
  ].filter(([k]) => columns[k]);
  const figure = {
    title: "pooling time per call",
    lang: "en",
    data: series.map(([k, label]) => ({
      type: "bar",
      name: label,
      x: WORKLOADS.map((w) => w.name),
      y: WORKLOADS.map((w) => c(k, w.name) ?? null),
    })),
    layout: {
      title: { text: `Pooling, median ms per call (log scale, lower is better) — ${machine}` },
      barmode: "group",
      yaxis: { type: "log", title: { text: "ms" } },
      height: 560,
      margin: { b: 200 },
    },
  };
  const html = `<!doctype html><meta charset="utf-8"><title>pooling bench</title>\n${figureHtml(figure, { bundle: "always" })}`;
  fs.writeFileSync(path.join(out, "bench-pooling.html"), html);
  console.log(`wrote artifacts/bench-pooling.json and artifacts/bench-pooling.html`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
