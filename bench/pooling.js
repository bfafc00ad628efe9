#!/usr/bin/env node
// `npm run bench`: the project's pooling (F.maxPool2d, F.avgPool2d, F.adaptiveAvgPool2d and the
// backward passes) against TensorFlow.js (wasm = XNNPACK, and cpu; NHWC) and PyTorch from pip
// (2 threads, NCHW and channels-last) in ONE run, on the same machine, float32. Timings only live
// here; no test asserts any of them. The workloads: bench/workloads.js.
//
// Every "ours" number is compared with tfjs-wasm timed call by call in turn with it (a, b, a, b,
// ...), so both see the same machine; tfjs is timed with its result read back (`dataSync()`), as
// a user gets it, and disposed after (untimed). The modes, in the order they run:
//   main      input = torch.randn(shape).relu() (a pooling layer's input after conv + ReLU);
//             each output freed right after its call with releaseStorage() (tf.dispose's twin).
//             Then ours in turn with PyTorch (both layouts) and with a plain copy of the input on
//             our threads: the copy bandwidth, and from it the limit (the workload's bytes moved
//             ÷ that bandwidth)
//   fresh     the four main workloads, each in new processes (bench/pooling-fresh.js, plain node)
//             that keep every output: ours from its first call, in turn with tfjs-wasm
//   randn     input = torch.randn(shape); outputs left to the garbage collector, as users do
//   loop      LOOP calls in ONE synchronous loop, outputs kept by nobody and never freed (a
//             training loop, a notebook cell): median of calls 3–22 ("early") and of the last 20
//             ("late"), late/early, and the process's peak RSS during the loop; tfjs-wasm in the
//             same loop, in turn, where its call takes under 50 ms (its max-with-indices and
//             gradient kernels take 100–700 ms: 300 of them would take minutes)
//   after     the main mode again, with PyTorch again, after tfjs-cpu, tfjs-wasm and every loop
//             ran in this process
// Columns of the main table besides: ours on one thread, the reference JS loops (kernels off),
// tfjs-cpu.
//
//   npm run bench -- [--runs 10] [--warmup 3] [--loop 300] [--fresh 3] [--filter max]
//                    [--only main,fresh,randn,loop,after,ref,tfjs-cpu,torch] [--torch-python PATH]
//
// PyTorch is --torch-python or $D2L_TORCH_PYTHON, else the venv `npm run fixtures` makes and reuses
// (PyTorch 2.13 from pip, scripts/requirements-fixtures.txt; made here on first use); when none can
// be had, the bench says its PyTorch columns are missing.
// Prints the machine (lscpu's model and flags), tables, and writes artifacts/bench-pooling.{json,html}
// (the HTML is a plotly chart).
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { performance } = require("node:perf_hooks");
const { heapStats, tensorArray, releaseStorage } = require("../dist/tensor/heap");
const fast = require("../dist/pooling/fast");
const { figureHtml } = require("../dist/plot");
const { WORKLOADS: ALL, median, input, ours, loadTf, tfjs } = require("./workloads");
const { startTorch, LAYOUTS } = require("./torch-side");

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const RUNS = Number(option("--runs", "10"));
const WARMUP = Number(option("--warmup", "3"));
const LOOP = Number(option("--loop", "300"));
const FRESH = Number(option("--fresh", "3"));
const ONLY = option("--only", "main,fresh,randn,loop,after,ref,tfjs-cpu,torch").split(",");
const FILTER = option("--filter", "");
const TORCH_THREADS = 2;
const WORKLOADS = ALL.filter((w) => w.name.includes(FILTER));

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
function timeLoop(oursJob, tfjsJob) {
  const times = [[], []];
  let rss = process.memoryUsage().rss;
  for (let i = 0; i < LOOP; i++) {
    let t0 = performance.now();
    oursJob.run();
    times[0].push(performance.now() - t0);
    if (tfjsJob) {
      t0 = performance.now();
      const r = tfjsJob.run();
      times[1].push(performance.now() - t0);
      tfjsJob.done(r);
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

/** The readable reference loops (fast kernels off). */
async function reference(w) {
  const before = fast.setFastPooling(false);
  try {
    return (await timeInTurn(ours(w, { release: false })))[0];
  } finally {
    fast.setFastPooling(before);
  }
}

/**
 * A plain copy of the workload's input into another heap array, on our threads (memory.copy over
 * the planes): bytes read + bytes written per ms is the copy bandwidth the limit column uses.
 */
function copyJob(w) {
  const x = input(w.shape);
  const dst = tensorArray(Float32Array, x.data.length, false);
  const planes = w.shape[0] * w.shape[1];
  return {
    run: () => {
      if (!fast.fastCopy(x.data, dst, planes)) throw new Error("fastCopy did not run");
    },
    cleanup: () => releaseStorage(dst),
    bytes: 2 * x.data.byteLength,
  };
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

/** `fresh`: FRESH new processes per main workload (bench/pooling-fresh.js). */
function freshRuns(w, notes) {
  const runs = [];
  for (let i = 0; i < FRESH; i++) {
    const r = spawnSync(process.execPath, [path.join(__dirname, "pooling-fresh.js"), String(ALL.indexOf(w)), "10"], {
      encoding: "utf8",
      timeout: 300_000,
    });
    if (r.status !== 0) {
      notes.push(`fresh, ${w.name}: ${(r.stderr || r.error?.message || "").trim().split("\n").pop()}`);
      continue;
    }
    runs.push(JSON.parse(r.stdout.trim().split("\n").pop()));
  }
  return runs;
}

/** The CPU, from lscpu (model, flags), or os.cpus() where lscpu is missing. */
function cpuInfo() {
  const r = spawnSync("lscpu", [], { encoding: "utf8" });
  const field = (name) => r.stdout?.match(new RegExp(`^${name}:\\s*(.*)$`, "m"))?.[1].trim();
  return { model: field("Model name") ?? os.cpus()[0]?.model ?? "?", flags: field("Flags") ?? "(lscpu not found)" };
}

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
  const c = (column, name) => cols[column]?.[name];
  const load = [os.loadavg()[0]];
  const cpu = cpuInfo();
  const torchSide = ONLY.includes("torch") ? await startTorch(option("--torch-python", "") || process.env.D2L_TORCH_PYTHON, TORCH_THREADS) : { error: "not asked for (--only)" };
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

  /** Ours in turn with a copy on our threads and PyTorch in both layouts (its NCHW calls are slow). */
  const torchPass = async (w, label) => {
    const jobs = torchSide.error ? [] : await torchSide.jobs(w, notes);
    const copy = copyJob(w);
    try {
      const times = await timeInTurn(ours(w), copy, ...jobs.filter(Boolean));
      put(`${label}:torch-ours`, w.name, times[0]);
      put(`${label}:copy`, w.name, times[1]);
      put(`${label}:limit`, w.name, (w.moved * 1e6) / (copy.bytes / median(times[1])));
      let k = 2;
      jobs.forEach((job, i) => job && put(`${label}:torch-${LAYOUTS[i]}`, w.name, times[k++]));
    } finally {
      copy.cleanup();
    }
  };

  // main
  for (const w of WORKLOADS) {
    await settle();
    await mainPass(w, "main");
    await torchPass(w, "main");
    if (ONLY.includes("ref")) put("ref", w.name, await reference(w));
    say(`main: ${w.name}`);
  }
  load.push(os.loadavg()[0]);

  const fresh = {};
  if (ONLY.includes("fresh")) {
    for (const w of WORKLOADS.filter((w) => w.main)) {
      const runs = freshRuns(w, notes);
      if (!runs.length) continue;
      const ratios = runs.map((r) => median(r.ours) / median(r.tfjs));
      fresh[w.name] = { runs, ratios, first: runs.map((r) => r.ours[0]), ours: runs.map((r) => median(r.ours)), tfjs: runs.map((r) => median(r.tfjs)) };
      put("fresh:ratio", w.name, ratios);
      say(`fresh: ${w.name}`);
    }
  }
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
      const withTf = c("main:tfjs-wasm", w.name) < 50;
      await withTfjs(w, true, (t) => {
        const r = timeLoop(ours(w, { release: false, plain: true }), withTf ? t : null);
        const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
        const [early, late] = [r.ours.slice(2, 22), r.ours.slice(-20)];
        loops[w.name] = {
          early: median(early),
          late: median(late),
          meanEarly: mean(early),
          meanLate: mean(late),
          tfjsEarly: withTf ? median(r.tfjs.slice(2, 22)) : undefined,
          tfjsLate: withTf ? median(r.tfjs.slice(-20)) : undefined,
          rss: r.rss,
        };
        put("loop:ours", w.name, median(late));
        put("loop:tfjs-wasm", w.name, loops[w.name].tfjsLate);
      }, notes, "loop");
      const after = heapStats();
      if (loops[w.name]) Object.assign(loops[w.name], { reclaims: after.reclaims - before.reclaims, tensorBytes: after.tensorBytes, markBytes: after.markBytes });
      say(`loop: ${w.name}`);
    }
  }
  load.push(os.loadavg()[0]);

  if (ONLY.includes("after")) {
    for (const w of WORKLOADS) {
      await settle();
      await mainPass(w, "after");
      await torchPass(w, "after");
      say(`after: ${w.name}`);
    }
  }
  torchSide.stop?.();
  load.push(os.loadavg()[0]);

  // ---- print
  const line = (cells) => `| ${cells.join(" | ")} |`;
  const table = (header, rows) => {
    console.log(line(header));
    console.log(line(header.map((h, i) => (i === 0 ? "---" : "---:"))));
    for (const row of rows) console.log(line(row));
    console.log("");
  };
  const machine = `${os.cpus().length} cores (${cpu.model}), Node ${process.version}`;
  const ts = fast.threadStats();
  const threads =
    `ours: ${fast.threadCount()} thread(s), ${ts.parallelCalls} calls shared with the workers (${ts.workerChunks} chunks run by them), the others on the calling thread alone` +
    (fast.fastUnavailableReason() ? " — FAST KERNELS OFF: " + fast.fastUnavailableReason() : "");
  const torchInfo = torchSide.info ? `PyTorch ${torchSide.info.version}, ${torchSide.info.threads} threads` : "PyTorch: missing";
  console.log(`median ms of ${RUNS} runs (after ${WARMUP} warm-up), float32; ${machine}; ${threads}; ${torchInfo}`);
  console.log(`CPU flags (lscpu): ${cpu.flags}`);
  console.log(`load average (1 min) at the start of each mode (main, fresh, tfjs-cpu/randn/loop, after) and at the end: ${load.map((l) => l.toFixed(2)).join(", ")}\n`);

  const bestTorch = (label, name) => {
    const t = LAYOUTS.map((l) => c(`${label}:torch-${l}`, name)).filter((v) => v !== undefined);
    return t.length ? Math.min(...t) : undefined;
  };
  table(
    ["workload", "ours", "ours, 1 thread", "tfjs-wasm", "ours/tfjs-wasm", "reference JS", "tfjs-cpu", "PyTorch NCHW", "PyTorch channels-last", "ours/best PyTorch", "copy on our threads", "limit", "ours/limit"],
    WORKLOADS.map((w) => [
      w.name,
      fmt(c("main:ours", w.name)),
      fmt(c("main:ours-1", w.name)),
      fmt(c("main:tfjs-wasm", w.name)),
      ratio(c("main:ours", w.name), c("main:tfjs-wasm", w.name)),
      fmt(c("ref", w.name)),
      fmt(c("tfjs-cpu", w.name)),
      fmt(c("main:torch-nchw", w.name)),
      fmt(c("main:torch-channels_last", w.name)),
      ratio(c("main:torch-ours", w.name), bestTorch("main", w.name)),
      fmt(c("main:copy", w.name)),
      fmt(c("main:limit", w.name)),
      ratio(c("main:torch-ours", w.name), c("main:limit", w.name)),
    ]),
  );
  console.log(`limit: the workload's bytes moved (input read once, outputs written once; a backward pass reads x and gradOut and writes gradIn) ÷ the copy bandwidth (bytes read + written per ms by "copy on our threads", a copy of the input timed in turn with ours and PyTorch); ours/limit and ours/best PyTorch compare ours in that same pass\n`);

  console.log(`ours/tfjs-wasm in each mode (goal: ≤ 0.70× on the first four); the loop's ratio compares the last ${Math.min(20, LOOP)} calls of each; after tfjs, ours/best PyTorch again`);
  table(
    ["workload", "main", "fresh (median of calls 1–10, per process)", "randn, kept", "loop (late)", "after tfjs", "after tfjs: ours/best PyTorch", "loop: ours early → late ms (median)", "late/early (median)", "late/early (mean)", "collections at the mark", "loop: tfjs-wasm early → late ms", "tfjs-wasm late/early (the machine's drift)", "peak RSS in the loop"],
    WORKLOADS.map((w) => {
      const l = loops[w.name];
      const f = fresh[w.name];
      return [
        w.name,
        ratio(c("main:ours", w.name), c("main:tfjs-wasm", w.name)),
        f ? f.ratios.map((r) => `${r.toFixed(2)}×`).join(", ") : "–",
        ratio(c("randn:ours", w.name), c("randn:tfjs-wasm", w.name)),
        ratio(c("loop:ours", w.name), c("loop:tfjs-wasm", w.name)),
        ratio(c("after:ours", w.name), c("after:tfjs-wasm", w.name)),
        ratio(c("after:torch-ours", w.name), bestTorch("after", w.name)),
        l ? `${fmt(l.early)} → ${fmt(l.late)}` : "–",
        l ? ratio(l.late, l.early) : "–",
        l ? ratio(l.meanLate, l.meanEarly) : "–",
        l ? String(l.reclaims) : "–",
        l?.tfjsLate !== undefined ? `${fmt(l.tfjsEarly)} → ${fmt(l.tfjsLate)}` : "–",
        l?.tfjsLate !== undefined ? ratio(l.tfjsLate, l.tfjsEarly) : "–",
        l ? mb(l.rss) : "–",
      ];
    }),
  );
  if (Object.keys(fresh).length) {
    console.log(`fresh: ${FRESH} new processes per workload (bench/pooling-fresh.js), each keeping its 10 outputs; tfjs-wasm given 20 untimed calls first (its steady state), ours timed from its first call`);
    table(
      ["workload", "ours: first call ms", "ours: median of 10 ms", "tfjs-wasm: median of 10 ms", "ours/tfjs-wasm", "ms from the input to the first call", "heap touched ahead at the end"],
      Object.entries(fresh).map(([name, f]) => [
        name,
        f.first.map(fmt).join(", "),
        f.ours.map(fmt).join(", "),
        f.tfjs.map(fmt).join(", "),
        f.ratios.map((r) => `${r.toFixed(2)}×`).join(", "),
        f.runs.map((r) => Math.round(r.ms.untilFirstCall)).join(", "),
        f.runs.map((r) => `${Math.round(r.heap.touchedAheadMB - r.heap.topMB)} MB`).join(", "),
      ]),
    );
  }
  const paths = fast.poolingPaths();
  console.log(`paths taken (all modes): ${Object.entries(paths).map(([op, p]) => `${op} fast ${p.fast}, copy-in ${p.copyIn}, reference ${p.reference}, copy-out ${p.copyOut}`).join("; ")}`);
  const hs = heapStats();
  console.log(`heap: tensor mark ${mb(hs.markBytes)}, memory ${mb(hs.memoryBytes)}, collections at the mark ${hs.reclaims} (${mb(hs.reclaimedBytes)} given back), collections asked for after the code ${hs.collectionsRequested}`);
  for (const note of notes) console.log(`note: ${note}`);

  const out = path.join(__dirname, "..", "artifacts");
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, "bench-pooling.json"), JSON.stringify({ machine, cpu, runs: RUNS, warmup: WARMUP, loop: LOOP, torchInfo, load, columns: cols, loops, fresh, paths, notes }, null, 1));
  const series = [
    ["main:ours", "ours"],
    ["main:ours-1", "ours, 1 thread"],
    ["main:tfjs-wasm", "tfjs-backend-wasm"],
    ["ref", "reference JS loops"],
    ["tfjs-cpu", "tfjs-backend-cpu"],
    ["main:torch-nchw", `${torchInfo} NCHW`],
    ["main:torch-channels_last", `${torchInfo} channels-last`],
    ["main:limit", "limit (bytes moved ÷ copy bandwidth)"],
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
