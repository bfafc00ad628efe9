#!/usr/bin/env node
// The JupyterLite site in headless Chromium (docs/lite.md, "Measured"): its size, then per round, in a
// new browser profile (nothing cached, as a student's first visit), for the chapter notebook:
//   - open: the URL opened → the notebook shown with its kernel ready (idle);
//   - first output: the URL opened → the first output of Run All (started as soon as the kernel is ready);
//   - Run All: Run All → every cell done;
//   - downloaded: what the browser fetched for all of it (the site's chunks load only when needed);
//   - Chromium CPU: CPU seconds all of Chromium's processes used from opening the URL to the end of
//     Run All (/proc), which other processes on a shared machine do not inflate as they do wall time.
// Served by lite/serve.js (no special headers). Prints each round, the median and range, and the load.
//
//   npm run lite && node bench/lite.js [--rounds N] [--notebook notebooks/zh/pooling.ipynb] [--site DIR]
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { serve } = require("../lite/serve");
const { folderSize } = require("../lite/build");
const s = require("../test/browser/support");
const { openNotebook, runAll } = require("../test/browser/lite-driver");

function args(argv) {
  const o = { rounds: 5, notebook: "notebooks/zh/pooling.ipynb", site: path.join(s.ROOT, "site") };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--rounds") o.rounds = Number(argv[++i]);
    else if (argv[i] === "--notebook") o.notebook = argv[++i];
    else if (argv[i] === "--site") o.site = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!Number.isInteger(o.rounds) || o.rounds < 1) throw new Error("--rounds takes a positive integer");
  return o;
}


/**
 * CPU seconds used so far by this process's child processes still running (Chromium's browser,
 * renderer, GPU and utility processes), from /proc: a figure the other processes on a shared
 * machine do not inflate, as they do wall-clock time.
 */
function chromiumCpuSeconds() {
  const parent = new Map();
  const cpu = new Map();
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parent.set(pid, fields[1]);
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) / 100); // utime + stime, in clock ticks of 1/100 s
    } catch {
      // gone meanwhile
    }
  }
  const mine = (pid) => {
    for (let p = parent.get(pid); p && p !== "0" && p !== "1"; p = parent.get(p)) if (p === String(process.pid)) return true;
    return false;
  };
  return [...cpu].filter(([pid]) => mine(pid)).reduce((t, [, c]) => t + c, 0);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");

async function main() {
  const o = args(process.argv.slice(2));
  if (!fs.existsSync(path.join(o.site, "lab", "index.html"))) throw new Error(`${o.site} is not a built site: run \`npm run lite\` first`);
  console.log(`site ${path.relative(process.cwd(), o.site)}/: ${(folderSize(o.site) / 2 ** 20).toFixed(1)} MiB (${(folderSize(path.join(o.site, "build")) / 2 ** 20).toFixed(1)} MiB in build/)`);
  console.log(`load average before: ${load()}`);
  const server = await serve(o.site, 0, { quiet: true });
  const rows = [];
  try {
    for (let r = 0; r < o.rounds; r++) {
      const profile = s.tempDir("d2l-lite-bench-");
      const context = await s.launchChromium(profile);
      try {
        const page = await context.newPage();
        // What the browser downloads (page and workers), counted as responses finish.
        let fetched = 0;
        const count = (request) => request.sizes().then((z) => (fetched += z.responseBodySize), () => undefined);
        context.on("requestfinished", count);
        const cpuBefore = chromiumCpuSeconds();
        const opened = await openNotebook(page, server, o.notebook);
        const ready = Date.now();
        const run = await runAll(page, o.notebook);
        const cpu = chromiumCpuSeconds() - cpuBefore;
        await s.sleep(500);
        context.off("requestfinished", count);
        const row = { open: (ready - opened) / 1000, first: run.firstOutput ? (run.firstOutput - opened) / 1000 : NaN, runAll: run.seconds, load: os.loadavg()[0], mib: fetched / 2 ** 20, cpu };
        rows.push(row);
        console.log(`round ${r + 1}: open ${row.open.toFixed(1)} s, first output ${row.first.toFixed(1)} s, Run All ${row.runAll.toFixed(1)} s, downloaded ${row.mib.toFixed(1)} MiB, Chromium CPU ${row.cpu.toFixed(1)} s (load ${row.load.toFixed(2)})`);
      } finally {
        await context.close();
        fs.rmSync(profile, { recursive: true, force: true });
      }
    }
  } finally {
    server.close();
  }
  for (const key of ["open", "first", "runAll", "cpu"]) {
    const xs = rows.map((r) => r[key]);
    console.log(`${key.padEnd(7)} median ${median(xs).toFixed(1)} s, range ${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)} s over ${xs.length} rounds`);
  }
  console.log(`load average after: ${load()}`);
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exitCode = 1;
});
