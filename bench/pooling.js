#!/usr/bin/env node
// `npm run bench`: the project's pooling (F.maxPool2d, F.avgPool2d, F.adaptiveAvgPool2d and the
// backward passes) against TensorFlow.js (wasm = XNNPACK, and cpu; NHWC) and PyTorch from pip
// (2 threads, NCHW and channels-last) in ONE run, on the same machine, float32. Timings only live
// here; no test asserts any of them.
//
// Every "ours" number is compared with tfjs-wasm timed call by call in turn with it (a, b, a, b,
// ...), so both see the same machine; tfjs is timed with its result read back (`dataSync()`), as
// a user gets it, and disposed after (untimed). The modes, in the order they run:
//   main      input = torch.randn(shape).relu() (a pooling layer's input after conv + ReLU);
//             each output freed right after its call with releaseStorage() (tf.dispose's twin)
//   randn     input = torch.randn(shape); outputs left to the garbage collector, as users do
//   loop      LOOP calls in ONE synchronous loop, outputs kept by nobody and never freed (a
//             training loop, a notebook cell): median of calls 3–22 ("early") and of the last 20
//             ("late"), late/early, and the process's peak RSS during the loop; tfjs-wasm in the
//             same loop, in turn, where its call takes under 50 ms (its max-with-indices and
//             gradient kernels take 100–700 ms: 300 of them would take minutes)
//   after     the main mode again, after tfjs-cpu, tfjs-wasm and every loop ran in this process
// Columns of the main table besides: ours on one thread, the reference JS loops (kernels off),
// tfjs-cpu, PyTorch NCHW and channels-last (timed in turn with ours in a pass of their own; the
// ratio compares ours in that pass with PyTorch's faster layout), and `warm copy`
// (dst.set(input): the memory floor).
//
//   npm run bench -- [--runs 10] [--warmup 3] [--loop 300] [--filter max]
//                    [--only main,randn,loop,after,ref,tfjs-cpu,torch] [--torch-python PATH]
//
// PyTorch is --torch-python or $D2L_TORCH_PYTHON, else the venv `npm run fixtures` makes and reuses
// (PyTorch 2.13 from pip, scripts/requirements-fixtures.txt; made here on first use); when none can
// be had, the bench says its PyTorch columns are missing.
// Prints tables and writes artifacts/bench-pooling.{json,html} (the HTML is a plotly chart).
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { cachedVenv } = require("../scripts/jupyter/venv");
const readline = require("node:readline");
const { spawn } = require("node:child_process");
const { performance } = require("node:perf_hooks");
const { torch, F } = require("../dist");
const { releaseStorage, heapStats } = require("../dist/tensor/heap");
const fast = require("../dist/pooling/fast");
const { figureHtml } = require("../dist/plot");

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const RUNS = Number(option("--runs", "10"));
const WARMUP = Number(option("--warmup", "3"));
const LOOP = Number(option("--loop", "300"));
const ONLY = option("--only", "main,randn,loop,after,ref,tfjs-cpu,torch").split(",");
const FILTER = option("--filter", "");
const TORCH_THREADS = 2;

// The issue's four main workloads, then global average pooling and two backward passes.
const WORKLOADS = [
  { name: "max 3×3 s2 p1, 8×64×112×112", main: true, op: "max", shape: [8, 64, 112, 112], k: 3, s: 2, p: 1 },
  { name: "max 2×2 s2, 8×64×56×56", main: true, op: "max", shape: [8, 64, 56, 56], k: 2, s: 2, p: 0 },
  { name: "avg 3×3 s1 p1, 8×64×56×56", main: true, op: "avg", shape: [8, 64, 56, 56], k: 3, s: 1, p: 1 },
  { name: "max 7×7 s1 p3, 8×64×56×56", main: true, op: "max", shape: [8, 64, 56, 56], k: 7, s: 1, p: 3 },
  { name: "global avg, 8×64×56×56", op: "global-avg", shape: [8, 64, 56, 56] },
  { name: "max 3×3 s2 p1 + indices, 8×64×112×112", op: "max-indices", shape: [8, 64, 112, 112], k: 3, s: 2, p: 1 },
  { name: "max 3×3 s2 p1 fwd+bwd, 8×64×112×112", op: "max-backward", shape: [8, 64, 112, 112], k: 3, s: 2, p: 1 },
  { name: "avg 3×3 s1 p1 fwd+bwd, 8×64×56×56", op: "avg-backward", shape: [8, 64, 56, 56], k: 3, s: 1, p: 1 },
].filter((w) => w.name.includes(FILTER));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const say = (text) => process.stderr.write(text + "\n");

// ---- timing ----------------------------------------------------------------------------------
/**
 * A job is { run, done? } — `run()` makes one call (timed), `done(result)` (untimed) releases
 * what it made — or { external } for a call timed elsewhere (PyTorch's process): `external()`
 * resolves to its milliseconds. Jobs given together are timed call by call in turn, so all see
 * the same machine.
 */
async function timeInTurn(...jobs) {
  const once = async (job) => {
    if (job.external) return job.external();
    const t0 = performance.now();
    const r = job.run();
    const ms = performance.now() - t0;
    job.done?.(r);
    return ms;
  };
  for (let i = 0; i < WARMUP; i++) for (const job of jobs) await once(job);
  const times = jobs.map(() => []);
  for (let i = 0; i < RUNS; i++) for (const [k, job] of jobs.entries()) times[k].push(await once(job));
  return times;
}

/**
 * The loop mode: LOOP calls of each job in one synchronous loop, in turn, nothing released on
 * our side (tfjs must dispose or it leaks; its `done` does). Times of every call, and peak RSS.
 */
function timeLoop(ours, tfjs) {
  const times = [[], []];
  let rss = process.memoryUsage().rss;
  for (let i = 0; i < LOOP; i++) {
    let t0 = performance.now();
    ours.run();
    times[0].push(performance.now() - t0);
    if (tfjs) {
      t0 = performance.now();
      const r = tfjs.run();
      times[1].push(performance.now() - t0);
      tfjs.done(r);
    }
    if (i % 10 === 9) rss = Math.max(rss, process.memoryUsage().rss);
  }
  return { ours: times[0], tfjs: times[1], rss };
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

/** Between modes and workloads (untimed): collect garbage and let finalizers return heap blocks. */
async function settle() {
  globalThis.gc?.();
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
}

// ---- ours ------------------------------------------------------------------------------------
/** The input values every library gets: standard normals, through a ReLU unless `plain`. */
function input(shape, plain = false) {
  torch.manualSeed(0);
  return plain ? torch.randn(shape) : torch.randn(shape).relu();
}

/** Free what a call returned (a tensor or [output, indices]), like tf.dispose. */
const free = (result) => (Array.isArray(result) ? result : [result]).forEach((t) => releaseStorage(t.data));

function ours(w, { release = true, plain = false } = {}) {
  const x = input(w.shape, plain);
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
      // What autograd runs: the forward, then the backward pass (given the forward's arguments).
      const g = torch.ones(F.maxPool2d(x, w.k, opts).shape);
      const run = () => {
        const y = F.maxPool2d(x, w.k, opts);
        if (release) free(y);
        return F.maxPool2dBackward(g, x, w.k, opts);
      };
      return { run, done };
    }
    case "avg-backward": {
      const g = torch.ones(F.avgPool2d(x, w.k, opts).shape);
      const run = () => {
        const y = F.avgPool2d(x, w.k, opts);
        if (release) free(y);
        return F.avgPool2dBackward(g, x, w.k, opts);
      };
      return { run, done };
    }
  }
}

/** The readable reference loops (fast kernels off). */
async function reference(w) {
  const before = fast.setFastPooling(false);
  try {
    return (await timeInTurn(ours(w, { release: false })))[0];
  } finally {
    fast.setFastPooling(before);
  }
}

async function warmCopy(w) {
  const x = input(w.shape);
  const dst = new Float32Array(x.data.length).fill(1);
  return (await timeInTurn({ run: () => dst.set(x.data) }))[0];
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
function nhwc(shape, plain) {
  const x = input(shape, plain).data;
  const [N, C, H, W] = shape;
  const out = new Float32Array(x.length);
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let h = 0; h < H; h++)
        for (let v = 0; v < W; v++) out[((n * H + h) * W + v) * C + c] = x[((n * C + c) * H + h) * W + v];
  return tf.tensor4d(out, [N, H, W, C]);
}

/**
 * A tfjs job for the current backend: each call reads its result back (`dataSync`), as a user
 * gets it; `done` disposes it; `cleanup()` disposes the input.
 */
function tfjs(w, plain = false) {
  const x = nhwc(w.shape, plain);
  const readBack = (r) => {
    (Array.isArray(r) ? r : [r]).forEach((t) => t.dataSync());
    return r;
  };
  const done = (r) => tf.dispose(r);
  const cleanup = () => x.dispose();
  const pool = w.op.startsWith("max") ? (t) => tf.maxPool(t, w.k, w.s, w.p) : (t) => tf.avgPool(t, w.k, w.s, w.p);
  switch (w.op) {
    case "max":
    case "avg":
      return { run: () => readBack(pool(x)), done, cleanup };
    case "max-indices":
      return {
        run: () => {
          const r = tf.maxPoolWithArgmax(x, w.k, w.s, w.p);
          return readBack([r.result, r.indexes]);
        },
        done,
        cleanup,
      };
    case "global-avg":
      return { run: () => readBack(tf.mean(x, [1, 2])), done, cleanup };
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
        return readBack(g);
      };
      return { run, done, cleanup: () => tf.dispose([x, dy]) };
    }
  }
}

/** Run `body` with a tfjs job for `w`; an error (a kernel a backend lacks) becomes a note. */
async function withTfjs(w, plain, body, notes, label) {
  let job;
  try {
    job = tfjs(w, plain);
    return await body(job);
  } catch (e) {
    notes.push(`${label}, ${w.name}: ${String(e.message || e).split("\n")[0]}`);
    return null;
  } finally {
    job?.cleanup();
  }
}

// ---- PyTorch ---------------------------------------------------------------------------------
/**
 * A running bench/pooling_torch.py: `jobs(w)` prepares workload `w` in both layouts and gives two
 * external jobs (one timed PyTorch call each), or null (and a note) when it cannot run it.
 * Without PyTorch, { error }.
 */
function torchPython() {
  const given = option("--torch-python", "") || process.env.D2L_TORCH_PYTHON;
  if (given) return fs.existsSync(given) ? given : { error: `no such python: ${given}` };
  try {
    return cachedVenv("fixtures", { log: (line) => console.error(line) }).python;
  } catch (error) {
    return { error: `no PyTorch from pip (${error.message.split("\n")[0]}); pass --torch-python PATH` };
  }
}

async function startTorch() {
  const python = torchPython();
  if (python.error) return python;
  // OMP_WAIT_POLICY=PASSIVE: PyTorch's OpenMP threads sleep after a call instead of spinning on
  // the cores for a while — which would slow down whichever call runs next in turn (ours, tfjs).
  const child = spawn(python, ["-W", "ignore", path.join(__dirname, "pooling_torch.py"), String(TORCH_THREADS)], {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? "PASSIVE" },
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(stderr.trim().split("\n").pop() || "PyTorch exited");
    return JSON.parse(value);
  };
  const request = (message) => {
    child.stdin.write(JSON.stringify(message) + "\n");
    return next();
  };
  try {
    const info = await next();
    const jobs = async (w, notes) => {
      const out = [];
      for (const layout of LAYOUTS) {
        const r = await request({ prepare: w, layout });
        if (r.error) notes.push(`PyTorch ${layout}, ${w.name}: ${r.error}`);
        out.push(r.error ? null : { external: async () => (await request({ run: layout })).ms });
      }
      return out;
    };
    return { info, jobs, stop: () => child.stdin.end() };
  } catch (e) {
    child.kill();
    return { error: `PyTorch did not start (${python}): ${e.message}` };
  }
}
const LAYOUTS = ["nchw", "channels_last"];

// ---- report ----------------------------------------------------------------------------------
const fmt = (ms) => (ms === undefined || ms === null ? "–" : ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
const ratio = (a, b) => (a === undefined || b === undefined || a === null || b === null ? "–" : `${(a / b).toFixed(2)}×`);
const mb = (bytes) => `${Math.round(bytes / 2 ** 20)} MB`;

async function main() {
  const cols = {}; // column -> workload name -> median ms (or a number)
  const notes = [];
  const put = (column, name, value) => {
    if (value === null || value === undefined) return;
    (cols[column] ??= {})[name] = Array.isArray(value) ? median(value) : value;
  };
  const load = [os.loadavg()[0]];
  const torchSide = ONLY.includes("torch") ? await startTorch() : { error: "not asked for (--only)" };
  if (torchSide.error) notes.push(`PyTorch columns missing: ${torchSide.error}`);
  await loadTf("wasm");
  fast.resetPoolingPaths();

  /** Ours (released, main input) in turn with tfjs-wasm (and in the main mode ours on one thread). */
  const mainPass = (w, label) =>
    withTfjs(w, false, async (t) => {
      // tfjs-wasm's first ~20 calls on a workload can be several times slower than the rest (22–31 ms
      // instead of ~3.5 on max 3×3/s2, 5.8 instead of ~1 on max 2×2): the ratio is taken at its steady state.
      for (let i = 0; i < 20; i++) t.done?.(t.run());
      const times = await timeInTurn(ours(w), ...(label === "main" ? [oneThread(ours(w))] : []), t);
      put(`${label}:ours`, w.name, times[0]);
      put(`${label}:tfjs-wasm`, w.name, times.at(-1));
      if (label === "main") put("main:ours-1", w.name, times[1]);
    }, notes, label);

  /** Ours in turn with PyTorch in both layouts (a pass of its own: its calls are slow on NCHW). */
  const torchPass = async (w) => {
    const jobs = await torchSide.jobs(w, notes);
    const times = await timeInTurn(ours(w), ...jobs.filter(Boolean));
    put("torch:ours", w.name, times[0]);
    let k = 1;
    jobs.forEach((job, i) => job && put(`torch:${LAYOUTS[i]}`, w.name, times[k++]));
  };

  // main
  for (const w of WORKLOADS) {
    await settle();
    await mainPass(w, "main");
    if (!torchSide.error) await torchPass(w);
    if (ONLY.includes("ref")) put("ref", w.name, await reference(w));
    put("warm", w.name, await warmCopy(w));
    say(`main: ${w.name}`);
  }
  torchSide.stop?.();
  load.push(os.loadavg()[0]);

  if (ONLY.includes("tfjs-cpu")) {
    await loadTf("cpu");
    for (const w of WORKLOADS) {
      await withTfjs(w, false, async (t) => put("tfjs-cpu", w.name, (await timeInTurn(t))[0]), notes, "tfjs-cpu");
      say(`tfjs-cpu: ${w.name}`);
    }
    await loadTf("wasm");
  }

  if (ONLY.includes("randn")) {
    for (const w of WORKLOADS) {
      await settle();
      await withTfjs(w, true, async (t) => {
        const [a, b] = await timeInTurn(ours(w, { release: false, plain: true }), t);
        put("randn:ours", w.name, a);
        put("randn:tfjs-wasm", w.name, b);
      }, notes, "randn");
      say(`randn: ${w.name}`);
    }
  }

  const loops = {};
  if (ONLY.includes("loop")) {
    for (const w of WORKLOADS) {
      await settle();
      const before = heapStats();
      const withTf = cols["main:tfjs-wasm"]?.[w.name] < 50;
      await withTfjs(w, true, (t) => {
        const r = timeLoop(ours(w, { release: false, plain: true }), withTf ? t : null);
        const early = median(r.ours.slice(2, 22));
        const late = median(r.ours.slice(-20));
        const tfjsLate = withTf ? median(r.tfjs.slice(-20)) : undefined;
        loops[w.name] = { early, late, tfjsEarly: withTf ? median(r.tfjs.slice(2, 22)) : undefined, tfjsLate, rss: r.rss };
        put("loop:ours", w.name, late);
        put("loop:tfjs-wasm", w.name, tfjsLate);
      }, notes, "loop");
      const after = heapStats();
      loops[w.name] && Object.assign(loops[w.name], { tensorBytes: after.tensorBytes, markBytes: after.markBytes, grew: after.memoryBytes - before.memoryBytes });
      say(`loop: ${w.name}`);
    }
  }
  load.push(os.loadavg()[0]);

  if (ONLY.includes("after")) {
    for (const w of WORKLOADS) {
      await settle();
      await mainPass(w, "after");
      say(`after: ${w.name}`);
    }
  }
  load.push(os.loadavg()[0]);

  // ---- print
  const c = (column, name) => cols[column]?.[name];
  const line = (cells) => `| ${cells.join(" | ")} |`;
  const table = (header, rows) => {
    console.log(line(header));
    console.log(line(header.map((h, i) => (i === 0 ? "---" : "---:"))));
    for (const row of rows) console.log(line(row));
    console.log("");
  };
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), Node ${process.version}`;
  const ts = fast.threadStats();
  const threads =
    `ours: ${fast.threadCount()} thread(s), ${ts.parallelCalls} calls shared with the workers, ${ts.workerChunks} chunks run by the workers` +
    (fast.fastUnavailableReason() ? " — FAST KERNELS OFF: " + fast.fastUnavailableReason() : "");
  const torchInfo = torchSide.info ? `PyTorch ${torchSide.info.version}, ${torchSide.info.threads} threads` : "PyTorch: missing";
  console.log(`median ms of ${RUNS} runs (after ${WARMUP} warm-up), float32; ${machine}; ${threads}; ${torchInfo}`);
  console.log(`load average (1 min) at the start of each mode and at the end: ${load.map((l) => l.toFixed(2)).join(", ")}\n`);

  const bestTorch = (name) => {
    const t = [c("torch:nchw", name), c("torch:channels_last", name)].filter((v) => v !== undefined);
    return t.length ? Math.min(...t) : undefined;
  };
  table(
    ["workload", "ours", "ours, 1 thread", "tfjs-wasm", "ours/tfjs-wasm", "reference JS", "tfjs-cpu", "PyTorch NCHW", "PyTorch channels-last", "ours/best PyTorch", "warm copy"],
    WORKLOADS.map((w) => [
      w.name,
      fmt(c("main:ours", w.name)),
      fmt(c("main:ours-1", w.name)),
      fmt(c("main:tfjs-wasm", w.name)),
      ratio(c("main:ours", w.name), c("main:tfjs-wasm", w.name)),
      fmt(c("ref", w.name)),
      fmt(c("tfjs-cpu", w.name)),
      fmt(c("torch:nchw", w.name)),
      fmt(c("torch:channels_last", w.name)),
      ratio(c("torch:ours", w.name), bestTorch(w.name)),
      fmt(c("warm", w.name)),
    ]),
  );
  console.log(`ours/tfjs-wasm in each mode (goal: ≤ 0.70× on the first four); the loop's ratio compares the last ${Math.min(20, LOOP)} calls of each`);
  table(
    ["workload", "main", "randn, kept", "loop (late)", "after tfjs", "loop: ours early → late ms", "late/early", "loop: tfjs-wasm early → late ms", "peak RSS in the loop"],
    WORKLOADS.map((w) => {
      const l = loops[w.name];
      return [
        w.name,
        ratio(c("main:ours", w.name), c("main:tfjs-wasm", w.name)),
        ratio(c("randn:ours", w.name), c("randn:tfjs-wasm", w.name)),
        ratio(c("loop:ours", w.name), c("loop:tfjs-wasm", w.name)),
        ratio(c("after:ours", w.name), c("after:tfjs-wasm", w.name)),
        l ? `${fmt(l.early)} → ${fmt(l.late)}` : "–",
        l ? ratio(l.late, l.early) : "–",
        l?.tfjsLate !== undefined ? `${fmt(l.tfjsEarly)} → ${fmt(l.tfjsLate)}` : "–",
        l ? mb(l.rss) : "–",
      ];
    }),
  );
  const paths = fast.poolingPaths();
  console.log(`paths taken (all modes): ${Object.entries(paths).map(([op, p]) => `${op} fast ${p.fast}, copy-in ${p.copyIn}, reference ${p.reference}, copy-out ${p.copyOut}`).join("; ")}`);
  const hs = heapStats();
  console.log(`heap: tensor mark ${mb(hs.markBytes)}, memory ${mb(hs.memoryBytes)}, collections asked for ${hs.collectionsRequested}`);
  for (const note of notes) console.log(`note: ${note}`);

  const out = path.join(__dirname, "..", "artifacts");
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, "bench-pooling.json"), JSON.stringify({ machine, runs: RUNS, warmup: WARMUP, loop: LOOP, torchInfo, load, columns: cols, loops, paths, notes }, null, 1));
  const series = [
    ["main:ours", "ours"],
    ["main:ours-1", "ours, 1 thread"],
    ["main:tfjs-wasm", "tfjs-backend-wasm"],
    ["ref", "reference JS loops"],
    ["tfjs-cpu", "tfjs-backend-cpu"],
    ["torch:nchw", `${torchInfo} NCHW`],
    ["torch:channels_last", `${torchInfo} channels-last`],
  ].filter(([k]) => cols[k]);
  const figure = {
    title: "pooling time per call",
    lang: "en",
    data: series.map(([k, label]) => ({ type: "bar", name: label, x: WORKLOADS.map((w) => w.name), y: WORKLOADS.map((w) => c(k, w.name) ?? null) })),
    layout: {
      title: { text: `Pooling, median ms per call (log scale, lower is better) — ${machine}` },
      barmode: "group",
      yaxis: { type: "log", title: { text: "ms" } },
      height: 560,
      margin: { b: 200 },
    },
  };
  fs.writeFileSync(path.join(out, "bench-pooling.html"), `<!doctype html><meta charset="utf-8"><title>pooling bench</title>\n${figureHtml(figure, { bundle: "always" })}`);
  console.log(`wrote artifacts/bench-pooling.json and artifacts/bench-pooling.html`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
