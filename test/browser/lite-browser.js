#!/usr/bin/env node
// `npm run test:lite`: the JupyterLite site (npm run lite) in headless Chromium, served by a plain
// static server (lite/serve.js: no cross-origin isolation headers, as on GitHub Pages).
//   1. Each of the four notebooks opens at lab/index.html?path=…, Run All: every code cell ran, no
//      error and nothing on stderr, tagged cells print exactly what PyTorch prints (the same rules as
//      every other runner: test/helpers/kernel-checks.ts), the chapter shows the seed's tensors,
//      every figure is drawn; the kernel says pooling runs on the WebAssembly kernels.
//   2. A student's edit in JupyterLite's editor (the min-pool solution typed into
//      exercises/min-pool.ts, saved) is what a notebook cell imports next.
//   3. File → Download exercises (zip): the zip holds exercises/*.ts as saved, at its top level,
//      and the instructor's batch grading (npm run grade -- --submissions) grades it.
//   4. Reload: the edit is still there (browser storage), in the editor and for the kernel.
//   5. Grading in the browser: the chapter's `await showGrade()` gives the stubs 0 with the table;
//      every reference solution copied in scores full marks.
//   6. (--student) the class's site, built by `npm run release -- --site` from the student copy,
//      grades in the browser with the recorded expected values: stubs 0, solutions full marks.
//
//   node test/browser/lite-browser.js [--site DIR] [--notebook notebooks/en/pooling.ipynb ...] [--headed]
//   node test/browser/lite-browser.js --student
// Measured and printed: the site's size, opening the URL → the first cell's output, Run All per
// notebook. Screenshots: artifacts/lite-*.png.
require("../../scripts/ci/ts-require");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const checks = require("../helpers/kernel-checks.ts");
const { serve } = require("../../lite/serve");
const { folderSize } = require("../../lite/build");
const s = require("./support");
const { OPEN_TIMEOUT_MS, state, panelOf, openNotebook, runAll, runCell } = require("./lite-driver");

const FIGURE_TIMEOUT_MS = 30_000;
/** The visible parts' points (src/grader/manifest.ts): what a student's own grading counts. */
const VISIBLE_MAX = require("../../src/grader/manifest.ts").EXERCISES.flatMap((e) => e.parts.filter((p) => !p.hidden)).reduce((t, p) => t + p.points, 0);

function parseArgs(argv) {
  const options = { site: path.join(s.ROOT, "site"), notebooks: checks.CHAPTER_NOTEBOOKS.map(checks.rel), headed: false, student: false };
  const picked = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--site") options.site = path.resolve(argv[++i]);
    else if (argv[i] === "--notebook") picked.push(argv[++i]);
    else if (argv[i] === "--headed") options.headed = true;
    else if (argv[i] === "--student") options.student = true;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (picked.length) options.notebooks = picked;
  return options;
}


async function runNotebook(page, server, rel, fixture, check, timings) {
  const lang = rel.includes("/en/") ? "en" : "zh";
  const base = path.basename(rel, ".ipynb");
  const label = `JupyterLite ${rel}`;
  const opened = await openNotebook(page, server, rel);
  const first = await state(page, rel);
  check(`${label}: opens with the "${checks.KERNEL_NAME}" kernel`, first.kernel === checks.KERNEL_NAME, `kernel: ${first.kernel}`);
  const banner = await page.evaluate(async (rel) => {
    const kernel = [...window.jupyterapp.shell.widgets("main")].find((w) => w.context && w.context.path === rel).sessionContext.session.kernel;
    return (await kernel.info).banner;
  }, rel);
  check(`${label}: pooling runs on the WebAssembly kernels (kernel banner)`, /Pooling: WebAssembly kernels/.test(banner), banner);

  const run = await runAll(page, rel);
  const st = run.state;
  timings.push({ rel, openToFirstOutput: run.firstOutput === null ? null : (run.firstOutput - opened) / 1000, runAll: run.seconds });
  const notRun = st.cells.map((c, i) => ({ ...c, i })).filter((c) => c.type === "code" && !c.empty && typeof c.count !== "number");
  check(`${label}: Run All executed every code cell (${run.seconds.toFixed(1)} s)`, notRun.length === 0, `not executed: cells ${notRun.map((c) => c.i).join(", ")}`);

  const nb = await page.evaluate(`(${panelOf})(${JSON.stringify(rel)}).content.model.toJSON()`);
  const runs = nb.cells.map((c, index) => ({ index, status: c.cell_type !== "code" || typeof c.execution_count === "number" ? "ok" : "not run" }));
  const problems = checks.checkExecutedNotebook(nb, { name: label, fixture, runs });
  check(`${label}: no error or stderr output, tagged cells print what PyTorch prints`, problems.length === 0, checks.formatProblems(problems));
  if (base === "pooling") {
    const printed = s.norm(nb.cells.map((c) => checks.printedText(c.outputs || [])).join("\n"));
    const missing = s.SEED_TENSORS.filter((t) => !printed.includes(s.norm(t)));
    check(`${label}: the seed's printed tensors are there`, missing.length === 0, `missing: ${missing.join(" | ")}`);
    // The last cell, `await showGrade()`, graded the stubs in the browser: a table, and a score of 0.
    const last = nb.cells.filter((c) => c.cell_type === "code").pop();
    const table = (last.outputs || []).some((o) => o.data && /<table/.test(checks.text(o.data["text/html"])));
    const score = checks.printedText(last.outputs || []);
    check(`${label}: showGrade() graded the stubs in the browser: 0 points, a table with each exercise`, table && new RegExp(`^(总分|score) 0/${VISIBLE_MAX}$`).test(score), `printed: ${score}`);
  }

  // Every figure drawn: scroll each figure cell into view (Lab renders lazily), then look for plotly's svg.
  const figureCells = nb.cells.map((c, i) => (checks.isFigureCell(c) ? i : -1)).filter((i) => i >= 0);
  const { svgs, undrawn } = await s.drawnFigures(page, figureCells, panelOf.toString(), rel, FIGURE_TIMEOUT_MS);
  check(`${label}: every figure drawn (${svgs} figures with plotly's svg.main-svg, in ${figureCells.length} figure cells)`,
    figureCells.length > 0 && undrawn.length === 0, `figure cells with no drawn plotly svg: ${undrawn.join(", ")}`);
  const shot = s.artifact(`lite-${lang}-${base}.png`);
  if (figureCells.length) {
    await page.evaluate(async ([fn, rel, i]) => eval(`(${fn})`)(rel).content.scrollToItem(i, "center"), [panelOf.toString(), rel, figureCells[Math.min(1, figureCells.length - 1)]]);
    await s.sleep(500);
  }
  await page.screenshot({ path: shot });
  // One kernel (a Web Worker) at a time, as a student closing a notebook would leave it.
  await page.evaluate(`(${panelOf})(${JSON.stringify(rel)}).sessionContext.shutdown()`).catch(() => undefined);
}

/** Open `rel` in JupyterLite's file editor; resolves once its text is loaded. */
async function openEditor(page, server, rel) {
  await page.goto(`${server.url}lab/index.html?path=${rel}&workspace=editor`, { waitUntil: "load" });
  await page.waitForFunction(
    (rel) => window.jupyterapp && [...window.jupyterapp.shell.widgets("main")].some((w) => w.context && w.context.path === rel && w.context.isReady && w.content && w.content.editor),
    rel,
    { timeout: OPEN_TIMEOUT_MS, polling: 100 },
  );
}

const editorText = (page, rel) =>
  page.evaluate((rel) => [...window.jupyterapp.shell.widgets("main")].find((w) => w.context && w.context.path === rel && w.content.editor).content.model.sharedModel.getSource(), rel);

async function studentLoop(context, server, check) {
  const rel = "exercises/min-pool.ts";
  const solution = fs.readFileSync(path.join(s.ROOT, "solutions", "min-pool.ts"), "utf8");
  const probe = 'import { minPool2d } from "d2l-pooling/exercises/min-pool";\nimport { torch } from "d2l-pooling";\nminPool2d(torch.tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]]).reshape(1, 1, 3, 3), [2, 2], { stride: 1 })';
  // What the stub's own @example says the finished function returns.
  const expected = s.norm("tensor([[[[0., 1.], [3., 4.]]]])");
  let page = await context.newPage();

  await page.goto(`${server.url}lab/index.html`);
  await page.waitForFunction(() => window.jupyterapp && window.jupyterapp.serviceManager.isReady, null, { timeout: OPEN_TIMEOUT_MS });
  const before = await runCell(page, probe);
  check("student loop: the stub, imported in a cell, says it is not implemented yet", /not implemented yet/.test(before.error || ""), JSON.stringify(before));

  // Type the solution into the editor (as the student would), then save.
  await openEditor(page, server, rel);
  await page.evaluate(([rel, text]) => {
    const w = [...window.jupyterapp.shell.widgets("main")].find((w) => w.context && w.context.path === rel && w.content.editor);
    w.content.model.sharedModel.setSource(text);
    window.jupyterapp.shell.activateById(w.id);
    return window.jupyterapp.commands.execute("docmanager:save");
  }, [rel, solution]);
  const saved = await page.evaluate((rel) => window.jupyterapp.serviceManager.contents.get(rel, { content: true }).then((m) => m.content), rel);
  check("student loop: the edit is saved in JupyterLite's contents", saved === solution);
  const after = await runCell(page, probe);
  check("student loop: a cell importing the exercise runs the edited file", !after.error && s.norm(after.text) === expected, JSON.stringify(after));

  // One action downloads the exercise files as a zip.
  const [download] = await Promise.all([
    page.waitForEvent("download", { timeout: 30_000 }),
    page.evaluate(() => window.jupyterapp.commands.execute("d2l:download-exercises")),
  ]);
  const zipFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "d2l-lite-zip-")), download.suggestedFilename());
  await download.saveAs(zipFile);
  const AdmZip = require("adm-zip");
  const entries = new AdmZip(zipFile).getEntries().map((e) => e.entryName).sort();
  const expectedNames = fs.readdirSync(path.join(s.ROOT, "exercises")).filter((f) => f.endsWith(".ts")).sort();
  check(`download: ${download.suggestedFilename()} holds exercises/*.ts at its top level`, JSON.stringify(entries) === JSON.stringify(expectedNames), `entries: ${entries.join(", ")}`);
  const inZip = new AdmZip(zipFile).readAsText("min-pool.ts");
  check("download: the zip holds the saved edit", inZip === solution);
  gradeZip(zipFile, check);
  await page.close();

  // Reload (a new page of the same browser profile): the edit is still there.
  page = await context.newPage();
  await openEditor(page, server, rel);
  check("after a reload: the editor shows the student's edit", (await editorText(page, rel)) === solution);
  const reloaded = await runCell(page, probe);
  check("after a reload: the kernel runs the student's edit", !reloaded.error && s.norm(reloaded.text) === expected, JSON.stringify(reloaded));
  await page.screenshot({ path: s.artifact("lite-editor.png") });

  await solutionsScoreFullMarks(page, check, "");

  // The restricted exercises' rules hold in the browser too: min-pool may use only F.maxPool2d and
  // arithmetic (its manifest capability); the reference solution that first reads X's numbers with
  // tolist() loses its minPool2d points.
  const reads = solution.replace(/(export function minPool2d\([^)]*\)[^{]*\{)/, "$1\n  X.tolist();");
  await page.evaluate((text) => window.jupyterapp.serviceManager.contents.save("exercises/min-pool.ts", { type: "file", format: "text", content: text }), reads);
  const ruled = await runCell(page, 'import { showGrade } from "d2l-pooling/grader";\nconst r = await showGrade({ lang: "en", exercises: ["min-pool"] });\nconst e = r.exercises[0];\n`${e.score}/${e.max} ${e.parts.filter((p) => p.status === "failed").map((p) => p.key).join(" ")} | ${e.feedback.en}`');
  check("showGrade() in the browser enforces the exercise's rules: reading values with tolist() costs min-pool its minPool2d points",
    reads !== solution && !ruled.error && /^['"]\d+\/10 /.test(ruled.text) && !/^['"]10\/10/.test(ruled.text) && /tolist/.test(ruled.text), JSON.stringify(ruled));
  await page.close();
}

const GRADE_CELL = 'import { showGrade } from "d2l-pooling/grader";\nconst r = await showGrade({ lang: "en" });\n`${r.score}/${r.max} ${r.exercises.filter((e) => e.status !== "passed").map((e) => e.id).join(" ")}`';

/** Every reference solution copied into exercises/: the browser's grading gives full marks. */
async function solutionsScoreFullMarks(page, check, site) {
  await page.evaluate(async (files) => {
    for (const [name, text] of Object.entries(files)) {
      await window.jupyterapp.serviceManager.contents.save(`exercises/${name}`, { type: "file", format: "text", content: text });
    }
  }, Object.fromEntries(fs.readdirSync(path.join(s.ROOT, "solutions")).filter((f) => f.endsWith(".ts")).map((f) => [f, fs.readFileSync(path.join(s.ROOT, "solutions", f), "utf8")])));
  const graded = await runCell(page, GRADE_CELL);
  check(`${site}showGrade() in the browser: the solutions score full marks (${VISIBLE_MAX})`, !graded.error && graded.text === `'${VISIBLE_MAX}/${VISIBLE_MAX} '`, JSON.stringify(graded));
}

/**
 * --student: the class's site, as `npm run release -- --site` builds it from the student copy (no
 * solutions, expected values from the recorded tables), grades in the browser: stubs 0, solutions full.
 */
async function studentSite(check) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-lite-release-"));
  const copy = path.join(work, "copy");
  const site = path.join(work, "site");
  const profile = s.tempDir("d2l-lite-chromium-");
  let server = null;
  let context = null;
  try {
    const made = spawnSync(process.execPath, [path.join(s.ROOT, "dist", "grader", "release.js"), "--out", copy, "--site", site], { cwd: s.ROOT, encoding: "utf8", timeout: 1_200_000 });
    check("student site: npm run release -- --site builds it from the student copy and finds no leak", made.status === 0, `${made.stdout}\n${made.stderr}`.slice(-3000));
    if (made.status !== 0) return;
    server = await serve(site, 0, { quiet: true });
    context = await s.launchChromium(profile);
    const page = await context.newPage();
    await page.goto(`${server.url}lab/index.html`);
    await page.waitForFunction(() => window.jupyterapp && window.jupyterapp.serviceManager.isReady, null, { timeout: OPEN_TIMEOUT_MS });
    const stubs = await runCell(page, GRADE_CELL);
    check(`student site: showGrade() grades the stubs 0/${VISIBLE_MAX}`, !stubs.error && stubs.text.startsWith(`'0/${VISIBLE_MAX} `), JSON.stringify(stubs));
    await solutionsScoreFullMarks(page, check, "student site: ");
  } finally {
    if (context) await context.close().catch(() => undefined);
    if (server) server.close();
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/** The instructor's batch grading takes the unzipped download as one student's submission. */
function gradeZip(zipFile, check) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-lite-batch-"));
  try {
    const student = path.join(work, "submissions", "lite-student");
    new (require("adm-zip"))(zipFile).extractAllTo(student);
    const out = path.join(work, "results");
    const run = spawnSync(process.execPath, [path.join(s.ROOT, "dist", "grader", "cli.js"), "--submissions", path.join(work, "submissions"), "--out", out], { cwd: s.ROOT, encoding: "utf8", timeout: 600_000 });
    const results = path.join(out, "students", "lite-student", "results.json");
    const graded = run.status === 0 && fs.existsSync(results) ? JSON.parse(fs.readFileSync(results, "utf8")) : null;
    const minPool = graded ? graded.tests.filter((t) => /min[- ]?pool|最小/i.test(`${t.name}`)) : [];
    check("batch grading takes the zip as a submission and gives min-pool's parts points",
      graded !== null && minPool.length > 0 && minPool.some((t) => t.score > 0),
      graded ? JSON.stringify(graded.tests.map((t) => [t.name, t.score]).slice(0, 12)) : `exit ${run.status}\n${run.stdout}\n${run.stderr}`.slice(-3000));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const { check, summary } = s.checklist();
  if (options.student) {
    await studentSite(check);
    return summary();
  }
  const fixture = checks.loadFixture();
  if (!fs.existsSync(path.join(options.site, "lab", "index.html"))) throw new Error(`${options.site} is not a built site: run \`npm run lite\` first (npm run test:lite does)`);
  const bytes = folderSize(options.site);
  console.log(`site: ${path.relative(process.cwd(), options.site)}/ — ${(bytes / 2 ** 20).toFixed(1)} MiB`);
  const server = await serve(options.site, 0, { quiet: true });
  const profile = s.tempDir("d2l-lite-chromium-");
  const errors = [];
  let context = null;
  const timings = [];
  try {
    context = await s.launchChromium(profile, { headed: options.headed });
    context.on("page", (page) => page.on("pageerror", (e) => errors.push(e.stack || e.message)));
    const page = await context.newPage();
    const cross = await page.goto(`${server.url}lab/index.html`).then(() => page.evaluate(() => self.crossOriginIsolated));
    check("the static server sends no cross-origin isolation (as GitHub Pages)", cross === false);
    for (const rel of options.notebooks) {
      try {
        await runNotebook(page, server, rel, fixture, check, timings);
      } catch (error) {
        await page.screenshot({ path: s.artifact(`lite-failed-${rel.replace(/\W+/g, "-")}.png`) }).catch(() => undefined);
        check(`JupyterLite ${rel}: the run completed`, false, error.stack || String(error));
      }
    }
    await page.close();
    await studentLoop(context, server, check);
  } catch (error) {
    check("the browser run completed", false, error.stack || String(error));
  } finally {
    if (context) await context.close().catch(() => undefined);
    server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  check("no page error", errors.length === 0, errors.slice(0, 5).join("\n\n"));
  console.log("\ntimings (headless Chromium, this machine):");
  for (const t of timings) console.log(`  ${t.rel}: URL opened → first cell output ${t.openToFirstOutput?.toFixed(1) ?? "none"} s; Run All ${t.runAll.toFixed(1)} s`);
  console.log(`  load average: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  return summary();
}

s.runMain(main);
