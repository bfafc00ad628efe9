#!/usr/bin/env node
// `npm run test:browser`: the Chinese chapter in a real browser. Starts classic Jupyter Notebook
// with the project's tslab kernel (registered in a temporary Jupyter home), opens
// notebooks/zh/pooling.ipynb in Debian's chromium (playwright-core), runs all cells, and checks
// what a student sees: PyTorch's tensors printed, every plotly figure drawn, no error output.
// Saves artifacts/notebook-zh.png. Jupyter and the browser are always stopped; the notebook file
// is never saved (autosave off) and is checked to be byte-for-byte unchanged afterwards.
//
//   node test/browser/notebook-browser.js [--notebook notebooks/en/pooling.ipynb] [--headed]
//
// Needs: jupyter-notebook and chromium (Debian).
const fs = require("node:fs");
const path = require("node:path");
const crypto = require("node:crypto");
const { spawnSync } = require("node:child_process");
const { KERNEL_NAME, jupyterHome, checkKernelVisible } = require("../../scripts/ci/jupyter-home");
const { ROOT, ARTIFACTS, SEED_TENSORS, sleep, norm, freePort, startServer, stopServer, launchChromium, tempDir, artifact, checklist } = require("./support");

const START_TIMEOUT_MS = 60_000;
const RUN_TIMEOUT_MS = 180_000;

const sha = (file) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");

/** Classic Notebook in its own process group, so stopping it also stops the kernels it started. */
async function startJupyter(env, home) {
  const port = await freePort();
  const args = ["notebook", "--no-browser", "--ip=127.0.0.1", `--port=${port}`, "--port-retries=0",
    "--NotebookApp.token=", "--NotebookApp.password=", `--notebook-dir=${ROOT}`,
    // Opening a notebook lists its checkpoints, which creates .ipynb_checkpoints/ beside it:
    // an absolute folder keeps that out of the checkout.
    `--FileCheckpoints.checkpoint_dir=${path.join(home.dir, "checkpoints")}`];
  if (process.getuid && process.getuid() === 0) args.push("--allow-root"); // CI runs as root
  try {
    return await startServer("jupyter", args, { env, url: `http://127.0.0.1:${port}`, timeoutMs: START_TIMEOUT_MS });
  } catch (error) {
    if (/cannot start jupyter/.test(error.message)) throw new Error(`${error.message}: apt-get install jupyter-notebook`);
    throw error;
  }
}

/**
 * A saved notebook reopened later is not trusted, so Jupyter does not run its saved scripts:
 * each figure must then show its one-line hint, never an empty box. nbconvert's executed copy
 * is such a notebook (unsigned); open it without running anything and look.
 */
async function checkReopenedUntrusted(context, server, home, notebookRel, lang, check) {
  const outDir = path.join(ARTIFACTS, "reopened");
  fs.mkdirSync(outDir, { recursive: true });
  const run = spawnSync("jupyter", ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=180",
    "--output-dir", outDir, path.join(ROOT, notebookRel)], { env: home.env, encoding: "utf8" });
  const saved = path.join(outDir, path.basename(notebookRel));
  if (run.status !== 0 || !fs.existsSync(saved)) {
    check("a reopened, untrusted notebook shows a hint for each figure", false, `nbconvert failed:\n${run.stderr}`);
    return;
  }
  const page = await context.newPage();
  const rel = path.relative(ROOT, saved).split(path.sep).map(encodeURIComponent).join("/");
  await page.goto(`${server.url}/notebooks/${rel}`, { waitUntil: "load" });
  await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded, null, { timeout: START_TIMEOUT_MS });
  await page.evaluate(() => {
    Jupyter.notebook.set_autosave_interval(0);
    Jupyter.notebook.save_notebook = () => Promise.resolve();
  });
  await sleep(1500);
  const seen = await page.evaluate(() => {
    const areas = [...document.querySelectorAll(".output_html")];
    return {
      trusted: Jupyter.notebook.trusted,
      htmlOutputs: areas.length,
      hints: areas.map((a) => a.innerText.trim()).filter((t) => t.length > 0).length,
      empty: areas.filter((a) => !a.innerText.trim() && !a.querySelector("svg.main-svg")).length,
      text: document.querySelector("#notebook-container").innerText,
    };
  });
  const hint = lang === "zh" ? "运行此单元格即可绘制" : "run this cell to draw it";
  check(`a reopened, untrusted notebook shows a hint for each of its ${seen.htmlOutputs} figures`,
    seen.trusted === false && seen.htmlOutputs > 0 && seen.empty === 0 && seen.text.includes(hint),
    `trusted=${seen.trusted}, figure outputs=${seen.htmlOutputs}, with text=${seen.hints}, empty=${seen.empty}`);
  await page.screenshot({ path: path.join(ARTIFACTS, `reopened-${lang}.png`) });
  await page.close();
}

async function main() {
  const args = process.argv.slice(2);
  const at = args.indexOf("--notebook");
  const notebookRel = at >= 0 ? args[at + 1] : "notebooks/zh/pooling.ipynb";
  const notebookFile = path.join(ROOT, notebookRel);
  const lang = notebookRel.includes("/en/") ? "en" : "zh";
  const screenshot = path.join(ARTIFACTS, `notebook-${lang}${notebookRel.includes("explore") ? "-explore" : ""}.png`);

  const { check, summary } = checklist();

  if (!fs.existsSync(notebookFile)) throw new Error(`${notebookRel} does not exist`);
  const hashBefore = sha(notebookFile);
  const originalBytes = fs.readFileSync(notebookFile);
  const fixture = JSON.parse(fs.readFileSync(path.join(ROOT, "test", "fixtures", "notebook-outputs.json"), "utf8"));
  const notebook = JSON.parse(originalBytes.toString("utf8"));
  const expected = notebook.cells.map((c) => c.metadata && c.metadata.d2l && c.metadata.d2l.expect).filter((id) => id && id in fixture);

  const home = jupyterHome();
  const profile = tempDir("d2l-chromium-");
  let server = null;
  let context = null;
  const pageErrors = [];
  try {
    checkKernelVisible(home.env);
    server = await startJupyter(home.env, home);
    console.log(`Jupyter: ${server.command}`);
    context = await launchChromium(profile, { headed: args.includes("--headed") });
    const page = context.pages()[0] || (await context.newPage());
    page.on("pageerror", (e) => pageErrors.push(String(e && e.stack ? e.stack.split("\n")[0] : e)));

    const url = `${server.url}/notebooks/${notebookRel.split(path.sep).map(encodeURIComponent).join("/")}`;
    await page.goto(url, { waitUntil: "load" });
    await page.waitForFunction(
      () => window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected(),
      null, { timeout: START_TIMEOUT_MS },
    );
    // Never write the checked-in notebook: no autosave, and saving does nothing.
    await page.evaluate(() => {
      Jupyter.notebook.set_autosave_interval(0);
      Jupyter.notebook.save_notebook = () => Promise.resolve();
      Jupyter.notebook.save_checkpoint = () => undefined;
    });
    const kernelName = await page.evaluate(() => Jupyter.notebook.kernel.name);
    check(`the notebook opens with the "${KERNEL_NAME}" kernel`, kernelName === KERNEL_NAME, `kernel: ${kernelName}`);

    const started = Date.now();
    await page.evaluate(() => Jupyter.notebook.execute_all_cells());
    await page.waitForFunction(
      () => {
        const code = Jupyter.notebook.get_cells().filter((c) => c.cell_type === "code" && c.get_text().trim());
        return !Jupyter.notebook.kernel_busy && code.every((c) => typeof c.input_prompt_number === "number" || c.input_prompt_number === null);
      },
      null, { timeout: RUN_TIMEOUT_MS, polling: 250 },
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const prompts = await page.evaluate(() =>
      Jupyter.notebook.get_cells().map((c, i) => ({ i, type: c.cell_type, n: c.input_prompt_number, empty: !c.get_text().trim() })));
    const notRun = prompts.filter((p) => p.type === "code" && !p.empty && typeof p.n !== "number");
    check(`Run All finished every code cell (${seconds} s)`, notRun.length === 0, `cells without an execution count: ${notRun.map((p) => p.i).join(", ")}`);

    const stderr = await page.evaluate(() =>
      Jupyter.notebook.get_cells().flatMap((c, i) => (c.output_area ? c.output_area.outputs : [])
        .filter((o) => o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr"))
        .map((o) => `cell ${i}: ${(o.text || `${o.ename}: ${o.evalue}`).trim().split("\n").slice(0, 3).join(" / ")}`)));
    check("no cell shows an error or stderr output", stderr.length === 0, stderr.join("\n"));

    const pageText = norm(await page.evaluate(() => document.querySelector("#notebook-container").innerText));
    const missingSeed = SEED_TENSORS.filter((t) => !pageText.includes(norm(t)));
    check("the seed's printed tensors are on the page", missingSeed.length === 0, `missing: ${missingSeed.join("\n")}`);
    const missingFixture = expected.filter((id) => !pageText.includes(norm(fixture[id])));
    check(`every tagged cell's PyTorch output is on the page (${expected.length})`, expected.length > 0 && missingFixture.length === 0,
      expected.length ? `missing: ${missingFixture.join(", ")}` : "the notebook has no tagged cells");

    // Every figure placeholder must have become a drawn plotly chart.
    const figures = await page.evaluate(() => document.querySelectorAll(".d2l-figure").length);
    await page.waitForFunction(
      () => document.querySelectorAll(".d2l-figure").length > 0 &&
        [...document.querySelectorAll(".d2l-figure")].every((f) => f.querySelector("svg.main-svg")),
      null, { timeout: 30_000 },
    ).catch(() => undefined);
    const drawn = await page.evaluate(() => ({
      svgs: document.querySelectorAll("svg.main-svg").length,
      figures: document.querySelectorAll(".d2l-figure").length,
      undrawn: [...document.querySelectorAll(".d2l-figure")].filter((f) => !f.querySelector("svg.main-svg")).map((f) => f.innerText.trim().slice(0, 120)),
    }));
    check(`plotly charts rendered (${drawn.svgs} svg.main-svg in ${drawn.figures} figures)`,
      figures > 0 && drawn.svgs > 0 && drawn.undrawn.length === 0, `figures not drawn: ${drawn.undrawn.join(" | ") || "no figure on the page"}`);
    check("no uncaught JavaScript error on the page", pageErrors.length === 0, pageErrors.join("\n"));

    // The screenshot: the first sliding-window figure with the tensors above it.
    artifact(path.basename(screenshot)); // makes artifacts/ (git-ignored)
    await page.evaluate(() => {
      const figs = [...document.querySelectorAll(".d2l-figure")];
      const target = figs[1] || figs[0];
      if (target) target.scrollIntoView({ block: "center" });
    });
    await sleep(500);
    await page.screenshot({ path: screenshot });
    check(`screenshot saved: ${path.relative(ROOT, screenshot)}`, fs.statSync(screenshot).size > 10_000);

    await checkReopenedUntrusted(context, server, home, notebookRel, lang, check);
  } catch (error) {
    check("the browser run completed", false, error.stack || String(error));
    if (server) console.log(`Jupyter log (last lines):\n${server.log.trimEnd().split("\n").slice(-20).join("\n")}`);
  } finally {
    if (context) await context.close().catch(() => undefined);
    await stopServer(server);
    fs.rmSync(profile, { recursive: true, force: true });
    home.remove();
    // Reported, not restored: the notebooks' author may have rebuilt the file meanwhile.
    const unchanged = sha(notebookFile) === hashBefore;
    check(`${notebookRel} is unchanged on disk`, unchanged, "the file changed during the browser run (a save from the page, or a rebuild by scripts/notebooks/build.js)");
  }
  process.exitCode = summary();
}

main().catch((error) => {
  console.error(error.stack || String(error));
  console.log("0 passed, 1 failed");
  process.exitCode = 1;
});
