#!/usr/bin/env node
// A/B of pool.wasm builds on one thread: each build's kernels on the same inputs in one shared
// memory, call by call in turn (a, b, a, b, ...), so both see the same machine — what kernel work
// is judged by on a shared machine, where one run's numbers say little.
//
//   node bench/kernel-ab.js OLD.wasm[:OLD.abi.json] NEW.wasm[:NEW.abi.json] [--runs 40] [--only max3i,avg3]
//
// A build without its `:abi` uses dist/pooling/fast/pool.abi.json. Keep an old build with
// `cp dist/pooling/fast/pool.{wasm,abi.json} /tmp/` before changing asm/*.ts. A job a build does
// not have (an older build without maxBackward) is left out for it. Prints min, first quartile
// and median ms per job and build, and new/old of the medians.
const fs = require("node:fs");
const path = require("node:path");
const { performance } = require("node:perf_hooks");

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const builds = args.filter((a, i) => !a.startsWith("--") && !(i > 0 && args[i - 1].startsWith("--")));
if (builds.length < 1) {
  console.error("usage: node bench/kernel-ab.js OLD.wasm[:abi.json] NEW.wasm[:abi.json] [--runs 40] [--only max3i,avg3]");
  process.exit(2);
}
const RUNS = Number(option("--runs", "40"));
const defaultAbi = path.join(__dirname, "..", "dist", "pooling", "fast", "pool.abi.json");

const memory = new WebAssembly.Memory({ initial: 16, maximum: 65536, shared: true });
memory.grow(6000); // ~390 MiB
const MiB = 1 << 20;
// Inputs (ReLU'd pseudo-random values, half of them 0: ties, as after conv + ReLU), outputs, scratch.
const X = MiB; // up to 8×64×112×112 floats (25.7 MB)
const G = 30 * MiB; // a gradOutput of ones, up to 8×64×56×56
const Y = 40 * MiB; // outputs / gradIn
const YI = 70 * MiB; // indices
const S = 100 * MiB; // scratch
{
  const x = new Float32Array(memory.buffer, X, 8 * 64 * 112 * 112);
  let s = 1;
  for (let i = 0; i < x.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    x[i] = Math.max(0, ((s >>> 8) % 2001) / 100 - 10);
  }
  new Float32Array(memory.buffer, G, 8 * 64 * 56 * 56).fill(1);
}

const big = { inH: 112, inW: 112, outH: 56, outW: 56 };
const small = { inH: 56, inW: 56, outH: 56, outW: 56 };
const JOBS = {
  max3: ["maxPool", { ...big, kH: 3, kW: 3, sH: 2, sW: 2, pH: 1, pW: 1, yi: 0, indexF64: 0 }],
  max2: ["maxPool", { inH: 56, inW: 56, outH: 28, outW: 28, kH: 2, kW: 2, sH: 2, sW: 2, pH: 0, pW: 0, yi: 0, indexF64: 0 }],
  avg3: ["avgPool", { ...small, kH: 3, kW: 3, sH: 1, sW: 1, pH: 1, pW: 1, divisorMode: 0, divisor: 0 }],
  max7: ["maxPool", { ...small, kH: 7, kW: 7, sH: 1, sW: 1, pH: 3, pW: 3, yi: 0, indexF64: 0 }],
  gavg: ["globalAvg", { H: 56, W: 56 }],
  max3i: ["maxPool", { ...big, kH: 3, kW: 3, sH: 2, sW: 2, pH: 1, pW: 1, yi: YI, indexF64: 1 }],
  max3b: ["maxBackward", { ...big, kH: 3, kW: 3, sH: 2, sW: 2, pH: 1, pW: 1, gin: Y, gout: G }],
  avg3b: ["avgBackward", { ...small, kH: 3, kW: 3, sH: 1, sW: 1, pH: 1, pW: 1, divisorMode: 0, divisor: 0, gin: Y, gout: G }],
};
const only = option("--only", Object.keys(JOBS).join(",")).split(",");

const loaded = builds.map((spec) => {
  const [file, abiFile = defaultAbi] = spec.split(":");
  const exports = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(file)), { env: { memory } }).exports;
  return { name: path.basename(file), exports, abi: JSON.parse(fs.readFileSync(abiFile, "utf8")) };
});

/** A call of `job` on `build`, or null when the build lacks the kernel. */
function caller(build, [kernel, geometry]) {
  const params = build.abi[kernel];
  if (!params || !build.exports[kernel]) return null;
  const values = { x: X, y: Y, p0: 0, p1: 512, scratch: S, ...geometry };
  const list = params.map((p) => {
    if (values[p] === undefined) throw new Error(`${build.name}: ${kernel} needs ${p}`);
    return values[p];
  });
  return () => build.exports[kernel](...list);
}

const q = (xs, f) => [...xs].sort((a, b) => a - b)[Math.floor(f * (xs.length - 1))];
for (const job of only) {
  if (!JOBS[job]) throw new Error(`no job ${job}: ${Object.keys(JOBS).join(", ")}`);
  const calls = loaded.map((b) => caller(b, JOBS[job]));
  const times = calls.map(() => []);
  for (let r = -3; r < RUNS; r++) {
    calls.forEach((call, k) => {
      if (!call) return;
      const t0 = performance.now();
      call();
      if (r >= 0) times[k].push(performance.now() - t0);
    });
  }
  const line = loaded.map((b, k) => (calls[k] ? `${b.name} ${q(times[k], 0).toFixed(3)} / ${q(times[k], 0.25).toFixed(3)} / ${q(times[k], 0.5).toFixed(3)}` : `${b.name} –`));
  const ratio = calls[0] && calls.at(-1) && calls.length > 1 ? `  last/first ${(q(times.at(-1), 0.5) / q(times[0], 0.5)).toFixed(2)}×` : "";
  console.log(`${job.padEnd(6)} min / p25 / median ms: ${line.join("   ")}${ratio}`);
}
