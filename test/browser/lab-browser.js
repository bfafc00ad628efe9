#!/usr/bin/env node
// `npm run test:lab`: the four notebooks in JupyterLab 4 and in Notebook 7, in a real browser.
// Jupyter comes from pip (scripts/jupyter/requirements.txt, the versions `npm start` installs) in a
// venv this test makes once and reuses (scripts/jupyter/venv.js); the kernel is the project's tslab,
// registered in a temporary Jupyter home; the server serves a throwaway copy of the checkout, so
// nothing a frontend saves can touch the real notebooks. For each frontend and notebook: open it
// (JupyterLab: in a workspace of its own), Run All, wait for the kernel, then check
//   - every code cell ran, with no error and nothing on stderr, and each tagged cell printed
//     exactly what PyTorch prints (the same rules as nbconvert's run: test/helpers/kernel-checks.ts);
//   - the chapter notebooks show the seed's tensors;
//   - every figure is drawn (svg.main-svg), each scrolled into view first (Lab renders lazily);
//   - no page error, except JupyterLab 4.6's own "No active debugger session" (see below).
//   - what must render alike in every frontend (RENDER_CHECKS below): the display maths as four rows,
//     the exercise list numbered 1–8, the discussion folded under its collapsed heading;
// Screenshots: artifacts/{lab,notebook7}-{zh,en}-{pooling,pooling-explore}.png (the page), and one
// per cell that RENDER_CHECKS names, artifacts/{lab,notebook7}-{zh,en}-<notebook>-<cell>.png.
//
//   node test/browser/lab-browser.js [--frontend lab|notebook] [--notebook notebooks/en/pooling.ipynb ...] [--headed]
//
// Needs: python3 with venv, pip's index, chromium (Debian).
require("../../scripts/ci/ts-require");
const fs = require("node:fs");
const path = require("node:path");
const checks = require("../helpers/kernel-checks.ts");
const { jupyterHome, checkKernelVisible } = require("../../scripts/ci/jupyter-home");
const { projectCopy } = require("../../scripts/ci/project-copy");
const { cachedVenv } = require("../../scripts/jupyter/venv");
const s = require("./support");
const panel = require("./panel");

const FIGURE_TIMEOUT_MS = 30_000;
const FRONTENDS = {
  lab: { app: "lab", title: "JupyterLab", shot: "lab", url: (rel, name) => `/lab/workspaces/${name}/tree/${rel}?reset` },
  notebook: { app: "notebook", title: "Notebook 7", shot: "notebook7", url: (rel) => `/notebooks/${rel}` },
};

/**
 * JupyterLab's own page error, tolerated and counted, nothing else: since 4.6.0 (PR #18081,
 * "Automatically refresh Kernel Sources after cell execution") the debugger extension connects
 * every notebook's "execution done" signal to DebuggerService.displayModules()
 * (packages/debugger-extension/src/index.ts: `handler.executionDone.connect(service.displayModules
 * .bind(service))`; packages/debugger/src/handler.ts emits it for every execute_reply, whether or
 * not the kernel can debug), and displayModules() throws `new Error('No active debugger session')`
 * when there is no debug session (packages/debugger/src/service.ts), which is always the case for
 * a kernel whose kernelspec does not declare `metadata.debugger: true`, such as tslab's (ours says
 * false). The rejection is never caught, so the page logs one per executed cell, for any such
 * kernel. It is not the completion provider of jupyterlab issue 18945 (that one runs only while a
 * debugger has stopped threads). Tolerated only with exactly that message AND thrown from
 * displayModules; any other page error fails the test.
 */
function isLabDebuggerModulesError(error) {
  return error.message === "No active debugger session" && /\bdisplayModules\b/.test(error.stack.split("\n")[1] || "");
}

/**
 * Notebook 7's own page error, tolerated only while the page loads (before Run All), nothing
 * else: JupyterLab's shortcuts plugin, which Notebook 7 bundles, reloads its settings whenever
 * another plugin's settings load, and reads `registry.plugins[shortcuts.id]!.schema` before its
 * own settings are in the registry (packages/shortcuts-extension/src/index.ts, the
 * registry.pluginChanged handler). It is a race at start-up, open as jupyter/notebook issue 7862
 * ("can't access property "schema", registry.plugins[shortcuts.id] is undefined"), and happens on
 * any Notebook 7 page, the file browser (/tree) included, with no kernel at all.
 */
function isNotebook7ShortcutsRace(error, frontend) {
  return frontend.app === "notebook" && error.phase === "load" &&
    error.message === "Cannot read properties of undefined (reading 'schema')" &&
    /\/static\/notebook\/notebook_core\.[0-9a-f]+\.js/.test(error.stack.split("\n")[1] || "") &&
    /\.load \(/.test(error.stack);
}

/**
 * Rendering that must look the same in JupyterLab 4 and Notebook 7 (and nbconvert: see
 * docs/notebooks.md), and the figures whose look was fixed, to be looked at in their screenshots.
 * `cells`: the cell ids it may have (a markdown cell's id can differ between the languages);
 * `test(node)`, run in the page on the cell's rendered node, returns "" or what is wrong;
 * `notebook(cells, i)`, run on the notebook's cell widgets, likewise.
 */
const RENDER_CHECKS = {
  pooling: [
    {
      cells: ["pooling-fig-6-5-1", "pooling-fig-pooling"],
      what: "the four max(…) = … lines render as four rows of one aligned block",
      test: (node) => {
        const rows = node.querySelectorAll("mjx-container[display='true'] mjx-mtr, mjx-container[display='true'] mjx-mlabeledtr").length;
        return rows === 4 ? "" : `the display maths has ${rows} rows`;
      },
    },
    { cells: ["pooling-fig-6-5-1-figure"], what: "figure 6.5.1 drawn" },
    {
      cells: ["pooling-exercises"],
      what: "the exercises are one list numbered from 1, eight items",
      test: (node) => {
        const lists = [...node.querySelectorAll(".jp-RenderedMarkdown ol")];
        const items = lists.map((ol) => ol.querySelectorAll(":scope > li").length);
        const starts = lists.map((ol) => ol.getAttribute("start") || "1");
        return lists.length === 1 && items[0] === 8 && starts[0] === "1" ? "" : `lists: ${lists.length}, items ${items.join("/")}, starts ${starts.join("/")}`;
      },
    },
  ],
  "pooling-explore": [
    {
      cells: ["pooling-explore-measure-discussion"],
      what: "the discussion is folded under its heading until the student opens it",
      // Run on the notebook widget's cells: the heading is collapsed, the discussion after it hidden.
      notebook: (cells, i) => {
        const heading = cells[i];
        const next = cells[i + 1];
        if (!heading.headingCollapsed) return "the heading is not collapsed";
        return next && next.isHidden ? "" : "the discussion after the heading is shown";
      },
    },
    { cells: ["pooling-explore-grad-avg-figure"], what: "the average's gradient figure drawn" },
    { cells: ["pooling-explore-shift-figure"], what: "the shift frames drawn" },
    { cells: ["pooling-explore-compare-figure"], what: "the comparison figure drawn" },
    { cells: ["pooling-explore-timing-figure"], what: "the appendix's timing figure drawn" },
  ],
};

function parseArgs(argv) {
  const options = { frontends: ["lab", "notebook"], notebooks: checks.CHAPTER_NOTEBOOKS.map(checks.rel), headed: false };
  const picked = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--frontend") options.frontends = [argv[++i]];
    else if (argv[i] === "--notebook") picked.push(argv[++i]);
    else if (argv[i] === "--headed") options.headed = true;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (picked.length) options.notebooks = picked;
  for (const f of options.frontends) if (!FRONTENDS[f]) throw new Error(`--frontend must be lab or notebook, not ${f}`);
  return options;
}

/** Settings a classroom would not change but a test must: no news or update checks (no network here). */
function writeUserSettings(configDir) {
  const file = path.join(configDir, "lab", "user-settings", "@jupyterlab", "apputils-extension", "notification.jupyterlab-settings");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ checkForUpdates: false, fetchNews: "false" }));
}

async function startFrontend(frontend, venv, home, copy) {
  const port = await s.freePort();
  const args = [frontend.app, "--no-browser", "--ip=127.0.0.1", `--port=${port}`, "--ServerApp.port_retries=0",
    "--IdentityProvider.token=", "--ServerApp.password=", `--ServerApp.root_dir=${copy.dir}`, "--expose-app-in-browser"];
  if (process.getuid && process.getuid() === 0) args.push("--allow-root"); // CI runs as root
  return s.startServer(venv.bin("jupyter"), args, { env: home.env, cwd: copy.dir, url: `http://127.0.0.1:${port}` });
}

async function runNotebook(page, frontend, server, rel, fixture, check) {
  const lang = rel.includes("/en/") ? "en" : "zh";
  const base = path.basename(rel, ".ipynb");
  const label = `${frontend.title} ${rel}`;
  const errors = [];
  let phase = "load";
  const onError = (error) => errors.push({ message: error.message, stack: error.stack || "", phase });
  page.on("pageerror", onError);
  try {
    await page.goto(`${server.url}${frontend.url(rel, `${lang}-${base}`)}`, { waitUntil: "load" });
    await panel.waitForKernel(page, rel);
    const opened = await panel.state(page, rel);
    check(`${label}: opens with the "${checks.KERNEL_NAME}" kernel`, opened.kernel === checks.KERNEL_NAME, `kernel: ${opened.kernel}`);

    phase = "run";
    const run = await panel.runAll(page, rel, 500);
    const state = run.state;
    const seconds = run.seconds.toFixed(1);
    const notRun = state.cells.map((c, i) => ({ ...c, i })).filter((c) => c.type === "code" && !c.empty && typeof c.count !== "number");
    check(`${label}: Run All executed every code cell (${seconds} s)`, notRun.length === 0, `not executed: cells ${notRun.map((c) => c.i).join(", ")}`);

    // Outputs as Jupyter would save them, checked by the same rules as every other runner.
    const nb = await page.evaluate(() => window.jupyterapp.shell.currentWidget.content.model.toJSON());
    const runs = nb.cells.map((c, index) => ({ index, status: c.cell_type !== "code" || typeof c.execution_count === "number" ? "ok" : "not run" }));
    const problems = checks.checkExecutedNotebook(nb, { name: `${frontend.title}: ${rel}`, fixture, runs });
    check(`${label}: no error or stderr output, tagged cells print what PyTorch prints`, problems.length === 0, checks.formatProblems(problems));
    if (base === "pooling") {
      const printed = s.norm(nb.cells.map((c) => checks.printedText(c.outputs || [])).join("\n"));
      const missing = s.SEED_TENSORS.filter((t) => !printed.includes(s.norm(t)));
      check(`${label}: the seed's ${s.SEED_TENSORS.length} printed tensors are there`, missing.length === 0, `missing: ${missing.join(" | ")}`);
    }

    // Every figure drawn: scroll each figure cell into view, then look for plotly's svg.
    const figureCells = nb.cells.map((c, i) => (checks.isFigureCell(c) ? i : -1)).filter((i) => i >= 0);
    const { svgs, undrawn } = await s.drawnFigures(page, figureCells, "() => window.jupyterapp.shell.currentWidget", null, FIGURE_TIMEOUT_MS);
    check(`${label}: every figure drawn (${svgs} figures with plotly's svg.main-svg, in ${figureCells.length} figure cells)`,
      figureCells.length > 0 ? undrawn.length === 0 : base === "pooling", `figure cells with no drawn plotly svg: ${undrawn.join(", ")}`);

    phase = "render";
    for (const spec of RENDER_CHECKS[base] || []) {
      const i = nb.cells.findIndex((c) => spec.cells.includes(c.id));
      if (i < 0) {
        check(`${label}: ${spec.what}`, false, `no cell ${spec.cells.join(" or ")}`);
        continue;
      }
      const id = nb.cells[i].id;
      // Scroll the cell into view (Lab renders lazily) and wait for its maths, if any, to be typeset.
      await page.evaluate(async (i) => {
        const notebook = window.jupyterapp.shell.currentWidget.content;
        notebook.activeCellIndex = i;
        await notebook.scrollToItem(i, "start");
      }, i);
      await page
        .waitForFunction((i) => {
          const cell = window.jupyterapp.shell.currentWidget.content.widgets[i];
          if (!cell || !cell.node.isConnected) return false;
          const text = cell.node.textContent || "";
          return !/\$\$|\\begin\{aligned\}/.test(text) || cell.node.querySelector("mjx-container");
        }, i, { timeout: FIGURE_TIMEOUT_MS, polling: 250 })
        .catch(() => undefined);
      await s.sleep(300);
      if (spec.notebook) {
        const wrong = await page.evaluate(
          ([i, test]) => eval(`(${test})`)(window.jupyterapp.shell.currentWidget.content.widgets, i),
          [i, spec.notebook.toString()],
        );
        check(`${label}: ${spec.what} (${id})`, wrong === "", wrong);
      }
      if (spec.test) {
        const wrong = await page.evaluate(
          ([i, test]) => eval(`(${test})`)(window.jupyterapp.shell.currentWidget.content.widgets[i].node),
          [i, spec.test.toString()],
        );
        check(`${label}: ${spec.what} (${id})`, wrong === "", wrong);
      }
      const node = await page.evaluateHandle((i) => window.jupyterapp.shell.currentWidget.content.widgets[i].node, i);
      const cellShot = s.artifact(`${frontend.shot}-${lang}-${id}.png`);
      await node.asElement().screenshot({ path: cellShot });
      check(`${label}: screenshot ${path.relative(s.ROOT, cellShot)} (${spec.what})`, fs.statSync(cellShot).size > 2_000);
    }

    const shot = s.artifact(`${frontend.shot}-${lang}-${base}.png`);
    if (figureCells.length) {
      await page.evaluate(async (i) => window.jupyterapp.shell.currentWidget.content.scrollToItem(i, "center"), figureCells[Math.min(1, figureCells.length - 1)]);
      await s.sleep(500);
    }
    await page.screenshot({ path: shot });
    check(`${label}: screenshot ${path.relative(s.ROOT, shot)}`, fs.statSync(shot).size > 10_000);

    if (base === "pooling" && lang === "zh" && frontend.app === "lab" && figureCells.length) {
      // The tab reloaded while the kernel kept running: the kernel sends no Plotly bundle again, so
      // a figure run now must fetch Plotly from the server (src/plot/html.ts) — and draw.
      phase = "reload";
      // Not saved: the page reloads the notebook as it is on disk, whose saved outputs are not
      // trusted (their scripts do not run), so the page has no Plotly.
      const leave = (dialog) => dialog.accept().catch(() => undefined);
      page.on("dialog", leave);
      await page.reload({ waitUntil: "load" });
      page.off("dialog", leave);
      await panel.waitForKernel(page, rel);
      const hasPlotly = await page.evaluate(() => Boolean(window.Plotly));
      const cell = figureCells[0];
      await page.evaluate(async (i) => {
        const panel = window.jupyterapp.shell.currentWidget;
        panel.content.activeCellIndex = i;
        await panel.content.scrollToItem(i, "center");
        await window.jupyterapp.commands.execute("notebook:run-cell");
      }, cell);
      const again = await s.drawnFigures(page, [cell], "() => window.jupyterapp.shell.currentWidget", null, FIGURE_TIMEOUT_MS);
      check(`${label}: after the tab reloads (no Plotly in the page: ${!hasPlotly}), a figure run again draws (Plotly from the server)`, !hasPlotly && again.undrawn.length === 0, `undrawn: ${again.undrawn.join(", ")}`);
    }

    await page.evaluate(() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()).catch(() => undefined);
  } catch (error) {
    check(`${label}: the run completed`, false, error.stack || String(error));
  } finally {
    page.off("pageerror", onError);
  }
  const debuggerErrors = errors.filter(isLabDebuggerModulesError);
  const shortcutRaces = errors.filter((e) => isNotebook7ShortcutsRace(e, frontend));
  const others = errors.filter((e) => !isLabDebuggerModulesError(e) && !isNotebook7ShortcutsRace(e, frontend));
  const tolerated = [`JupyterLab's "No active debugger session" from displayModules: ${debuggerErrors.length}`];
  if (frontend.app === "notebook") tolerated.push(`Notebook 7's shortcuts start-up race: ${shortcutRaces.length}`);
  check(`${label}: no page error (tolerated, see the comments: ${tolerated.join("; ")})`,
    others.length === 0, others.map((e) => `[${e.phase}] ${e.stack.split("\n").slice(0, 3).join("\n")}`).join("\n"));
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const { check, summary } = s.checklist();
  const fixture = checks.loadFixture();
  const venv = cachedVenv("jupyter", { log: (line) => console.log(line) });
  const home = jupyterHome();
  const copy = projectCopy("d2l-lab-");
  writeUserSettings(home.env.JUPYTER_CONFIG_DIR);
  const profile = s.tempDir("d2l-chromium-");
  let server = null;
  let context = null;
  try {
    checkKernelVisible(home.env, venv.python);
    context = await s.launchChromium(profile, { headed: options.headed });
    for (const name of options.frontends) {
      const frontend = FRONTENDS[name];
      server = await startFrontend(frontend, venv, home, copy);
      console.log(`${frontend.title}: ${server.command}`);
      for (const rel of options.notebooks) {
        const page = await context.newPage();
        await runNotebook(page, frontend, server, rel, fixture, check);
        await page.close();
      }
      await s.stopServer(server);
      server = null;
    }
  } catch (error) {
    check("the browser run completed", false, `${error.stack || error}${server ? `\nJupyter log:\n${server.log.slice(-3000)}` : ""}`);
  } finally {
    if (context) await context.close().catch(() => undefined);
    await s.stopServer(server);
    fs.rmSync(profile, { recursive: true, force: true });
    copy.remove();
    home.remove();
  }
  return summary();
}

s.runMain(main);
