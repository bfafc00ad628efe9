// A notebook panel in JupyterLab 4, Notebook 7 or JupyterLite, driven from a page: its state read
// from the notebook model (Lab renders cells lazily, the DOM may lack them), waiting for its kernel,
// and Run All until every code cell ran. Shared by test:lab, test:lite and bench:lite.
const s = require("./support");

const OPEN_TIMEOUT_MS = 120_000;
const RUN_TIMEOUT_MS = 300_000;

/** The panel showing `rel` (runs in the page; pass as a string): the current one, or any in the main area. */
const panelState = (rel) => {
  const app = window.jupyterapp;
  if (!app) return null;
  const isIt = (w) => w && w.context && w.context.path === rel && w.content && w.content.model;
  const current = app.shell.currentWidget;
  const panel = isIt(current) ? current : [...app.shell.widgets("main")].find(isIt);
  const kernel = panel && panel.sessionContext.session && panel.sessionContext.session.kernel;
  if (!panel || !kernel) return null;
  const cells = [];
  for (let i = 0; i < panel.content.model.cells.length; i++) {
    const cell = panel.content.model.cells.get(i);
    cells.push({ type: cell.type, empty: !cell.sharedModel.getSource().trim(), count: cell.type === "code" ? cell.executionCount : null, outputs: cell.type === "code" ? cell.outputs.length : 0 });
  }
  return { path: panel.context.path, kernel: kernel.name, status: kernel.status, connection: kernel.connectionStatus, cells };
};

/** The state of `rel`'s panel, or null while it has none or no kernel. */
const state = (page, rel) => page.evaluate(([fn, rel]) => eval(`(${fn})`)(rel), [panelState.toString(), rel]);

/** Resolves when `rel`'s panel is open with its kernel connected and idle. */
function waitForKernel(page, rel, polling = 250) {
  return page.waitForFunction(
    ([fn, rel]) => {
      const st = eval(`(${fn})`)(rel);
      return st && st.connection === "connected" && st.status === "idle";
    },
    [panelState.toString(), rel],
    { timeout: OPEN_TIMEOUT_MS, polling },
  );
}

/**
 * Run All on the open notebook `rel`; done when every code cell has an execution count and the kernel
 * is idle (or it stays idle 10 s with cells left: an error stopped Run All). Returns the final state,
 * when the first output appeared (ms since the epoch, or null) and Run All's seconds.
 */
async function runAll(page, rel, pollMs = 100) {
  const started = Date.now();
  await page.evaluate((rel) => {
    const app = window.jupyterapp;
    const isIt = (w) => w && w.context && w.context.path === rel;
    if (!isIt(app.shell.currentWidget)) app.shell.activateById([...app.shell.widgets("main")].find(isIt).id);
    return app.commands.execute("notebook:run-all-cells");
  }, rel);
  let st = null;
  let firstOutput = null;
  let idleSince = null;
  for (;;) {
    await s.sleep(pollMs);
    st = await state(page, rel);
    if (firstOutput === null && st.cells.some((c) => c.outputs > 0)) firstOutput = Date.now();
    const code = st.cells.filter((c) => c.type === "code" && !c.empty);
    const idle = st.status === "idle";
    if (idle && code.every((c) => typeof c.count === "number")) break;
    idleSince = idle ? idleSince ?? Date.now() : null;
    if (idleSince && Date.now() - idleSince > 10_000) break;
    if (Date.now() - started > RUN_TIMEOUT_MS) break;
  }
  return { state: st, firstOutput, seconds: (Date.now() - started) / 1000 };
}

module.exports = { OPEN_TIMEOUT_MS, panelState, state, waitForKernel, runAll };
