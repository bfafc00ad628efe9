// Driving the JupyterLite site (npm run lite) in a page: what test/browser/lite-browser.js checks and
// bench/lite.js times. JupyterLab renders cells lazily, so state is read from the notebook model.
const s = require("./support");

const { OPEN_TIMEOUT_MS, panelState, state, waitForKernel, runAll } = require("./panel");

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
  await waitForKernel(page, rel, 100);
  return opened;
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
