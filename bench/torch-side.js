// The PyTorch side of `npm run bench`: bench/pooling_torch.py in a child process, one timed call
// at a time, so the bench can time PyTorch in turn with ours.
const fs = require("node:fs");
const path = require("node:path");
const readline = require("node:readline");
const { spawn } = require("node:child_process");
const { cachedVenv } = require("../scripts/jupyter/venv");

/** PyTorch's python: `given`, else the venv `npm run fixtures` makes and reuses; or { error }. */
function torchPython(given) {
  if (given) return fs.existsSync(given) ? given : { error: `no such python: ${given}` };
  try {
    return cachedVenv("fixtures", { log: (line) => console.error(line) }).python;
  } catch (error) {
    return { error: `no PyTorch from pip (${error.message.split("\n")[0]}); pass --torch-python PATH` };
  }
}

/**
 * A running bench/pooling_torch.py with `threads` threads: `jobs(w)` prepares workload `w` in both
 * layouts and gives two external jobs (one timed PyTorch call each), or null (and a note) when it
 * cannot run it. Without PyTorch, { error }.
 */
async function startTorch(given, threads) {
  const python = torchPython(given);
  if (python.error) return python;
  // OMP_WAIT_POLICY=PASSIVE: PyTorch's OpenMP threads sleep after a call instead of spinning on
  // the cores for a while — which would slow down whichever call runs next in turn (ours, tfjs).
  const child = spawn(python, ["-W", "ignore", path.join(__dirname, "pooling_torch.py"), String(threads)], {
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

module.exports = { startTorch, LAYOUTS };
