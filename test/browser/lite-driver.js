// Driving the JupyterLite site (npm run lite) in a page: what test/browser/lite-browser.js checks and
// bench/lite.js times. JupyterLab renders cells lazily, so state is read from the notebook model.
const s = require("./support");

const OPEN_TIMEOUT_MS = 120_000;
const RUN_TIMEOUT_MS = 300_000;

/** The notebook panel showing `rel`, read from its model (runs in the page). */
const panelState = (rel) => {
  const app = window.jupyterapp;
  if (!app) return null;
  const panel = [...app.shell.widgets("main")].find((w) => w.context && w.context.path === rel && w.content && w.content.model);
  const kernel = panel && panel.sessionContext.session && panel.sessionContext.session.kernel;
  if (!panel || !kernel) return null;
  const cells = [];
  for (let i = 0; i < panel.content.model.cells.length; i++) {
    const cell = panel.content.model.cells.get(i);
    cells.push({ type: cell.type, empty: !cell.sharedModel.getSource().trim(), count: cell.type === "code" ? cell.executionCount : null, outputs: cell.type === "code" ? cell.outputs.length : 0 });
  }
  return { kernel: kernel.name, status: kernel.status, connection: kernel.connectionStatus, cells };
};
const state = (page, rel) => page.evaluate(([fn, rel]) => eval(`(${fn})`)(rel), [panelState.toString(), rel]);
/** The panel of `rel` (runs in the page; pass as a string). */
const panelOf = (rel) => [...window.jupyterapp.shell.widgets("main")].find((w) => w.context && w.context.path === rel && w.content);

/**
 * Open `rel` at lab/index.html?path=… in a workspace of its own (as test:lab does: no tabs restored
 * from an earlier notebook); resolves when its kernel is idle. Returns the time the URL was opened.
 */
async function openNotebook(page, server, rel) {
  const workspace = rel.replace(/^notebooks\//, "").replace(/\.ipynb$/, "").replace(/\W+/g, "-");
  const opened = Date.now();
  await page.goto(`${server.url}lab/index.html?path=${rel}&workspace=${workspace}`, { waitUntil: "load" });
  await page.waitForFunction(
    ([fn, rel]) => {
      const st = eval(`(${fn})`)(rel);
      return st && st.connection === "connected" && st.status === "idle";
    },
    [panelState.toString(), rel],
    { timeout: OPEN_TIMEOUT_MS, polling: 100 },
  );
  return opened;
}

/**
 * Run All on the open notebook `rel`; done when every code cell has an execution count and the kernel
 * is idle (or it stays idle 10 s with cells left: an error stopped Run All). Returns the final state,
 * when the first output appeared (ms since the epoch, or null) and Run All's seconds.
 */
async function runAll(page, rel) {
  const started = Date.now();
  await page.evaluate((rel) => {
    window.jupyterapp.shell.activateById([...window.jupyterapp.shell.widgets("main")].find((w) => w.context && w.context.path === rel).id);
    return window.jupyterapp.commands.execute("notebook:run-all-cells");
  }, rel);
  let st = null;
  let firstOutput = null;
  let idleSince = null;
  for (;;) {
    await s.sleep(100);
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

/** Run one cell's code in a scratch session's kernel (no notebook file); what it printed, and any error. */
function runCell(page, code) {
  return page.evaluate(async (code) => {
    const sessions = window.jupyterapp.serviceManager.sessions;
    const session = await sessions.startNew({ path: "notebooks/zh/scratch.ipynb", type: "notebook", name: "scratch.ipynb", kernel: { name: "d2l-pooling-typescript" } });
    const out = { text: "", error: null };
    const future = session.kernel.requestExecute({ code });
    future.onIOPub = (msg) => {
      const c = msg.content;
      if (msg.header.msg_type === "stream") out.text += c.text;
      if (msg.header.msg_type === "execute_result") out.text += c.data["text/plain"];
      if (msg.header.msg_type === "error") out.error = `${c.ename}: ${c.evalue}`;
    };
    await future.done;
    await session.shutdown();
    return out;
  }, code);
}

module.exports = { OPEN_TIMEOUT_MS, panelState, state, panelOf, openNotebook, runAll, runCell };
