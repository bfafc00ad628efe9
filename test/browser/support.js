// What the browser suites share: free ports, a Jupyter server in its own process group (so
// stopping it stops its kernels too), Debian's chromium through playwright-core, the checks log
// that ends with "N passed, N failed", and artifacts/ for screenshots.
const fs = require("node:fs");
const http = require("node:http");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");
const { spawn } = require("node:child_process");

const ROOT = path.resolve(__dirname, "..", "..");
const ARTIFACTS = path.join(ROOT, "artifacts");
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const norm = (s) => s.replace(/\s+/g, " ").trim();

// The seed's printed tensors (../shared/seed, d2l-zh 6.5 as run with PyTorch), whitespace-normalised.
const SEED_TENSORS = [
  "tensor([[4., 5.], [7., 8.]])",
  "tensor([[2., 3.], [5., 6.]])",
  "tensor([[[[10.]]]])",
  "tensor([[[[ 5., 7.], [13., 15.]]]])",
  "tensor([[[[ 5., 7.], [13., 15.]], [[ 6., 8.], [14., 16.]]]])",
];

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** GET a URL: { status, body } (status 0 when nothing answers). */
function get(url) {
  return request(url);
}

/** A request (GET unless `method` says otherwise; `body` is sent as JSON): { status, body }, status 0 when nothing answers. */
function request(url, { method = "GET", body } = {}) {
  return new Promise((resolve) => {
    const req = http.request(url, { method, headers: body === undefined ? {} : { "Content-Type": "application/json" } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode, body: text }));
    });
    req.on("error", () => resolve({ status: 0, body: "" }));
    req.setTimeout(30_000, () => req.destroy());
    req.end(body);
  });
}

/**
 * Start `command args` in its own process group with output kept in `server.log`; resolves once
 * `ready(server)` is true, by default once GET `${url}/api/status` answers 200.
 */
async function startServer(command, args, { env, cwd = ROOT, url, timeoutMs = 60_000, ready = async (srv) => (await get(`${srv.url}/api/status`)).status === 200 }) {
  const child = spawn(command, args, { env, cwd, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const server = { child, url, log: "", command: `${command} ${args.join(" ")}` };
  child.stdout.on("data", (d) => (server.log += d));
  child.stderr.on("data", (d) => (server.log += d));
  let spawnError = null;
  child.once("error", (error) => (spawnError = error));
  const started = Date.now();
  for (;;) {
    await sleep(250);
    if (spawnError) throw new Error(`cannot start ${command}: ${spawnError.message}`);
    if (child.exitCode !== null) throw new Error(`${command} exited (${child.exitCode}) while starting:\n${server.log}`);
    if (await ready(server)) return server;
    if (Date.now() - started > timeoutMs) throw new Error(`${command} did not answer within ${timeoutMs / 1000} s:\n${server.log}`);
  }
}

/** SIGTERM the server's process group (Jupyter shuts its kernels down), then SIGKILL what is left. */
async function stopServer(server, signal = "SIGTERM") {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((resolve) => server.child.once("exit", resolve));
  try {
    process.kill(-server.child.pid, signal);
  } catch {
    return;
  }
  await Promise.race([exited, sleep(15_000)]);
  try {
    process.kill(-server.child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

async function launchChromium(profileDir, { headed = false } = {}) {
  const { chromium } = require("playwright-core");
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install chromium (or set CHROMIUM_PATH)`);
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: !headed,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    viewport: { width: 1280, height: 1000 },
  });
}

function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function artifact(name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  if (!fs.existsSync(path.join(ARTIFACTS, ".gitignore"))) fs.writeFileSync(path.join(ARTIFACTS, ".gitignore"), "*\n");
  return path.join(ARTIFACTS, name);
}

/** A list of named checks, printed as they come; `summary()` prints "N passed, N failed". */
function checklist() {
  const results = [];
  const check = (name, ok, detail = "") => {
    results.push({ name, ok: Boolean(ok) });
    console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail && !ok ? `\n${String(detail).replace(/^/gm, "     ")}` : ""}`);
    return Boolean(ok);
  };
  const summary = () => {
    const passed = results.filter((r) => r.ok).length;
    console.log(`\n${passed} passed, ${results.length - passed} failed`);
    return passed === results.length && results.length > 0 ? 0 : 1;
  };
  return { check, summary, results };
}

/**
 * Every figure of an open notebook drawn: scrolls each figure cell into view (JupyterLab renders
 * lazily), then waits for plotly's svg.main-svg in each of its figures. `panel` is the source of a
 * function run in the page that returns the notebook panel, given `arg`. Returns how many figures
 * were drawn and the figure cells that were not.
 */
async function drawnFigures(page, figureCells, panel, arg = null, timeoutMs = 30_000) {
  const undrawn = [];
  let svgs = 0;
  for (const i of figureCells) {
    await page.evaluate(async ([panel, arg, i]) => {
      const notebook = eval(`(${panel})`)(arg).content;
      notebook.activeCellIndex = i;
      await notebook.scrollToItem(i, "center");
    }, [panel, arg, i]);
    const drawn = await page
      .waitForFunction(
        ([panel, arg, i]) => {
          const cell = eval(`(${panel})`)(arg).content.widgets[i];
          const figures = cell && cell.node.isConnected ? [...cell.node.querySelectorAll(".d2l-figure")] : [];
          return figures.length > 0 && figures.every((f) => f.querySelector("svg.main-svg")) ? figures.length : 0;
        },
        [panel, arg, i],
        { timeout: timeoutMs, polling: 250 },
      )
      .then((handle) => handle.jsonValue())
      .catch(() => 0);
    if (drawn) svgs += drawn;
    else undrawn.push(i);
  }
  return { svgs, undrawn };
}

/** Runs a suite's async `main` (which returns its exit code); a crash counts as one failed check. */
function runMain(main) {
  main().then(
    (code) => (process.exitCode = code),
    (error) => {
      console.error(error.stack || String(error));
      console.log("0 passed, 1 failed");
      process.exitCode = 1;
    },
  );
}

module.exports = {
  runMain,
  ROOT,
  ARTIFACTS,
  SEED_TENSORS,
  sleep,
  norm,
  freePort,
  get,
  request,
  startServer,
  stopServer,
  launchChromium,
  tempDir,
  artifact,
  checklist,
  drawnFigures,
};
