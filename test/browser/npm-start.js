#!/usr/bin/env node
// `npm run test:start`: `npm start` on a machine without Jupyter does the whole set-up.
// In a throwaway copy of the checkout (scripts/ci/project-copy.js) and with a PATH holding node,
// npm and python3 but no jupyter, it runs `npm start -- --no-browser --port=P`, then checks:
//   - it made .venv/ with python3 -m venv + pip (pip's own output shown) and said so;
//   - as root, it passed --allow-root and said so;
//   - JupyterLab answers on port P, and the URL it printed opens notebooks/zh/pooling.ipynb in
//     Chromium with the project's kernel running (the server lists that session);
//   - SIGTERM stops it: the port closes and no kernel of the copy is left running;
//   - a second `npm start` reuses .venv/ (nothing installed again).
// Saves artifacts/npm-start-lab.png. pip is pointed at the machine's configured local index
// (scripts/jupyter/venv.js localIndexEnv), as a user's pip configuration would.
//
// Needs: python3 (with venv), pip's index, chromium (Debian).
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { projectCopy, pathWith } = require("../../scripts/ci/project-copy");
const { findPython, localIndexEnv } = require("../../scripts/jupyter/venv");
const s = require("./support");

const INSTALL_TIMEOUT_MS = 15 * 60 * 1000;
const KERNEL = "d2l-pooling-typescript";

/** Processes whose command line mentions `text` (the copy's folder: its kernels, its Jupyter). */
function processesMentioning(text) {
  const r = spawnSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" });
  return r.stdout.split("\n").filter((line) => line.includes(text) && !line.includes(" ps -eo"));
}

async function main() {
  const { check, summary } = s.checklist();
  const copy = projectCopy("d2l-npm-start-");
  const home = path.join(copy.dir, ".test-home");
  const python = findPython();
  const realPython = spawnSync(python.command, [...python.pre, "-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).stdout.trim();
  const bin = pathWith(["node", "npm", "sh"], path.join(home, "bin"));
  fs.symlinkSync(realPython, path.join(bin, "python3"));
  const env = {
    ...localIndexEnv(python),
    PATH: bin,
    PYTHON: "",
    JUPYTER_CONFIG_DIR: path.join(home, "config"),
    JUPYTER_DATA_DIR: path.join(home, "data"),
    JUPYTER_RUNTIME_DIR: path.join(home, "runtime"),
    JUPYTER_PLATFORM_DIRS: "1",
    JUPYTER_PATH: "",
    BROWSER: "true", // in case --no-browser were ignored: never start a browser from Jupyter
  };
  check("the PATH given to npm start has no jupyter", spawnSync("sh", ["-c", "command -v jupyter"], { env }).status !== 0);
  const port = await s.freePort();
  const profile = s.tempDir("d2l-chromium-");
  let server = null;
  let serverB = null;
  let second = null;
  let context = null;
  try {
    const started = Date.now();
    // The URL Jupyter prints: http://127.0.0.1:P/lab/tree/notebooks/zh/pooling.ipynb?token=...
    const printedUrl = (srv) => (srv.log.match(/http:\/\/(?:127\.0\.0\.1|localhost):\d+\/lab\/tree\/\S*pooling\.ipynb\S*/) || [])[0];
    server = await s.startServer("npm", ["start", "--", "--no-browser", `--port=${port}`, "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1"], {
      env,
      cwd: copy.dir,
      url: `http://127.0.0.1:${port}`,
      timeoutMs: INSTALL_TIMEOUT_MS,
      ready: async (srv) => {
        const printed = printedUrl(srv);
        const token = printed && (printed.match(/token=([0-9a-f]+)/) || [])[1];
        return Boolean(token) && (await s.get(`http://127.0.0.1:${port}/api/status?token=${token}`)).status === 200;
      },
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    const log = server.log;
    check(`npm start set up JupyterLab and answered on port ${port} (${seconds} s)`, true);
    check("it said it found no Jupyter and would make .venv/", log.includes("No Jupyter found") && log.includes("-m venv .venv"), log.slice(0, 2000));
    check("pip's own progress was shown", /Collecting jupyterlab==|Successfully installed/.test(log), log.slice(0, 2000));
    const stamp = JSON.parse(fs.readFileSync(path.join(copy.dir, ".venv", "d2l-pooling-venv.json"), "utf8"));
    check(".venv/ holds JupyterLab, stamped complete", stamp.complete === true && fs.existsSync(path.join(copy.dir, ".venv", "bin", "jupyter-lab")));
    check("the copy's kernel is registered inside the copy (.d2l-kernel/)", fs.existsSync(path.join(copy.dir, ".d2l-kernel", "share", "jupyter", "kernels", KERNEL, "kernel.json")));
    if (process.getuid && process.getuid() === 0) {
      check("as root it passed --allow-root and said so", log.includes("--allow-root") && log.includes("Running as root"), log.slice(-2000));
    }

    // The notebook open in a browser, with its kernel.
    const url = printedUrl(server).replace("localhost", "127.0.0.1");
    const token = (url.match(/token=([0-9a-f]+)/) || [])[1];
    check("Jupyter printed the notebook's URL", url.includes("/lab/tree/notebooks/zh/pooling.ipynb"), url);
    context = await s.launchChromium(profile);
    const page = context.pages()[0] || (await context.newPage());
    await page.goto(url, { waitUntil: "load" });
    await page
      .waitForFunction(
        () => {
          const tab = [...document.querySelectorAll(".lm-TabBar-tab.jp-mod-current .lm-TabBar-tabLabel")].map((t) => t.textContent);
          const status = document.querySelector(".jp-Notebook-ExecutionIndicator, .jp-KernelStatus");
          // JupyterLab renders a long notebook's cells a few at a time: wait until more than the first screenful is there.
          return tab.includes("pooling.ipynb") && document.querySelectorAll(".jp-NotebookPanel .jp-Cell").length > 10 && status;
        },
        null,
        { timeout: 120_000 },
      )
      .catch(() => undefined);
    let session = null;
    for (let i = 0; i < 120 && !session; i++) {
      const reply = await s.get(`http://127.0.0.1:${port}/api/sessions?token=${token}`);
      session = reply.status === 200 ? JSON.parse(reply.body).find((x) => x.path === "notebooks/zh/pooling.ipynb") : null;
      if (!session) await s.sleep(500);
    }
    check(`JupyterLab opened notebooks/zh/pooling.ipynb with the "${KERNEL}" kernel`, session && session.kernel && session.kernel.name === KERNEL, JSON.stringify(session));
    const cells = await page.evaluate(() => document.querySelectorAll(".jp-NotebookPanel .jp-Cell").length);
    check(`the notebook's cells are on the page (${cells})`, cells > 10);
    const shot = s.artifact("npm-start-lab.png");
    await page.screenshot({ path: shot });
    check(`screenshot saved: ${path.relative(s.ROOT, shot)}`, fs.statSync(shot).size > 10_000);
    await context.close();
    context = null;

    // Stop it as a user's Ctrl-C or a process manager would.
    const exited = new Promise((resolve) => server.child.once("exit", (code, signal) => resolve({ code, signal })));
    process.kill(-server.child.pid, "SIGTERM");
    const how = await Promise.race([exited, s.sleep(30_000).then(() => null)]);
    check("SIGTERM stops npm start and Jupyter within 30 s", how !== null, "still running");
    await s.sleep(1000);
    check("the port is closed afterwards", (await s.get(`http://127.0.0.1:${port}/api/status`)).status === 0);
    // npm start stops the copy's warm grader too, and waits for it: give that a moment.
    let left = processesMentioning(copy.dir);
    for (let i = 0; i < 60 && left.length; i++) {
      await s.sleep(500);
      left = processesMentioning(copy.dir);
    }
    check("no kernel, server or warm grader of this copy is left running", left.length === 0, left.join("\n"));

    // Later runs reuse .venv/.
    const again = spawnSync("npm", ["start", "--", "--version"], { env, cwd: copy.dir, encoding: "utf8", timeout: 120_000 });
    const out = again.stdout + again.stderr;
    check("a second npm start reuses .venv/ (no pip, no new venv)", again.status === 0 && out.includes("(.venv/)") && !out.includes("No Jupyter found") && !/Collecting/.test(out), out.slice(-1500));

    // Two copies on one machine: an older copy's registration of the notebooks' kernel sits in the
    // user's Jupyter folder (as kernel:install made it before each copy had its own name), and a
    // second copy runs npm start with a Jupyter from PATH. Its server must run its own tslab.
    second = projectCopy("d2l-npm-start-second-");
    const stale = path.join(home, "data", "kernels", KERNEL);
    fs.mkdirSync(stale, { recursive: true });
    fs.writeFileSync(
      path.join(stale, "kernel.json"),
      JSON.stringify({ argv: [process.execPath, path.join(copy.dir, "node_modules", "tslab", "bin", "tslab"), "kernel", "--config-path", "{connection_file}"], display_name: "an older copy", language: "typescript" }),
    );
    const envB = { ...env, PATH: `${path.join(copy.dir, ".venv", "bin")}${path.delimiter}${bin}` };
    const portB = await s.freePort();
    serverB = await s.startServer("npm", ["start", "--", "--no-browser", `--port=${portB}`, "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1"], {
      env: envB,
      cwd: second.dir,
      url: `http://127.0.0.1:${portB}`,
      timeoutMs: 180_000,
      ready: async (srv) => {
        const t = (srv.log.match(/token=([0-9a-f]+)/) || [])[1];
        return Boolean(t) && (await s.get(`http://127.0.0.1:${portB}/api/status?token=${t}`)).status === 200;
      },
    });
    check("the second copy's npm start used the Jupyter on PATH", /\(PATH\)/.test(serverB.log), serverB.log.slice(0, 1500));
    const tokenB = (serverB.log.match(/token=([0-9a-f]+)/) || [])[1];
    const opened = await s.request(`http://127.0.0.1:${portB}/api/sessions?token=${tokenB}`, {
      method: "POST",
      body: JSON.stringify({ path: "notebooks/zh/pooling.ipynb", type: "notebook", name: "pooling.ipynb", kernel: { name: KERNEL } }),
    });
    check("the second copy's server starts the notebook's kernel", opened.status === 201, `${opened.status} ${opened.body}`);
    // Which tslab runs: its program's path says which copy it is (its connection file sits in the test's home).
    const tslabOf = (dir) => path.join(dir, "node_modules", "tslab");
    let own = [];
    for (let i = 0; i < 60 && own.length === 0; i++) {
      own = processesMentioning(tslabOf(second.dir));
      if (own.length === 0) await s.sleep(500);
    }
    const foreign = processesMentioning(tslabOf(copy.dir));
    check("…and it is that copy's own tslab, not the older copy's registered in the user's Jupyter folder", own.length > 0 && foreign.length === 0, `own:\n${own.join("\n")}\nthe other copy's:\n${foreign.join("\n")}`);
  } catch (error) {
    check("the npm start run completed", false, `${error.stack || error}\n${server ? server.log.slice(-3000) : ""}`);
  } finally {
    if (context) await context.close().catch(() => undefined);
    await s.stopServer(server);
    await s.stopServer(serverB);
    fs.rmSync(profile, { recursive: true, force: true });
    copy.remove();
    second?.remove();
  }
  return summary();
}

s.runMain(main);
