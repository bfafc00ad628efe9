import { escapeHtml } from "../html/escape";
import { plotlyBundleText } from "./bundle";

/**
 * A plotly figure as self-contained HTML: no CDN, works offline in JupyterLab, classic
 * Notebook and VS Code. `require("plotly.js-dist-min")` fails in Node (it needs a browser), so
 * we read the bundle's text and send it inside the figure's <script>.
 *
 * The bundle (4.9 MB) goes out with the first figure of a kernel session only; later figures
 * wait for `window.Plotly`. A page reloaded while the kernel kept running has no Plotly and gets no
 * bundle again: its figures then load Plotly from the Jupyter server (the project's
 * node_modules, which `npm start` serves), and where that is out of reach say to restart the kernel.
 * A saved notebook that is not trusted does not run scripts: the figure then shows its one-line
 * hint instead of an empty box.
 */

export interface Figure {
  data: object[];
  layout: Record<string, unknown>;
  frames?: object[];
  config?: Record<string, unknown>;
  /** What the hint says the figure shows, in the notebook's language. */
  title: string;
  lang: "zh" | "en";
}

let bundleText: string | null = null;
let bundleSent = false;

function plotlyBundle(): string {
  // Inside an inline <script>, "</script" would end the element early; "<\/" is the same JS.
  return (bundleText ??= plotlyBundleText().replace(/<\/script/gi, "<\\/script"));
}

/** Forget that the bundle went out (e.g. the page was reloaded while the kernel kept running). */
export function resendBundle(): void {
  bundleSent = false;
}

const HINTS = {
  zh: (title: string) => `图：${title} —— 运行此单元格即可绘制（未受信任的笔记本不会运行已保存的脚本）。`,
  en: (title: string) => `Figure: ${title} — run this cell to draw it (an untrusted notebook does not run saved scripts).`,
};
const MISSING = {
  zh: "这个页面没有 Plotly（页面重新加载过？）：请重启内核并运行所有单元格（内核 → 重启内核并运行所有单元格），第一个图会再带上 Plotly。",
  en: "This page has no Plotly (was it reloaded?): restart the kernel and run all cells (Kernel → Restart Kernel and Run All Cells); the first figure brings Plotly again.",
};

/** Where the Jupyter server that shows the page serves the project's copy of Plotly (npm start serves the project). */
const FROM_SERVER =
  `function loadPlotly(done) {\n` +
  `    if (window.__d2lPlotlyWaiting) return window.__d2lPlotlyWaiting.push(done);\n` +
  `    window.__d2lPlotlyWaiting = [done];\n` +
  `    var base = "/";\n` +
  `    try {\n` +
  `      var config = document.getElementById("jupyter-config-data");\n` +
  `      base = (config && JSON.parse(config.textContent).baseUrl) || document.body.getAttribute("data-base-url") || "/";\n` +
  `    } catch (e) {}\n` +
  `    var savedDefine = window.define;\n` +
  `    window.define = undefined; // classic Notebook's require.js would take the bundle as a module\n` +
  `    var script = document.createElement("script");\n` +
  `    script.src = base.replace(/\\/?$/, "/") + "files/node_modules/plotly.js-dist-min/plotly.min.js";\n` +
  `    script.onload = script.onerror = function () {\n` +
  `      window.define = savedDefine;\n` +
  `      var waiting = window.__d2lPlotlyWaiting;\n` +
  `      window.__d2lPlotlyWaiting = null;\n` +
  `      waiting.forEach(function (f) { f(); });\n` +
  `    };\n` +
  `    document.head.appendChild(script);\n` +
  `  }\n`;

let counter = 0;

/** JSON that is safe inside an inline script. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

export interface HtmlOptions {
  /** "auto": the bundle goes with the first figure of the session; "always" / "never" force it. */
  bundle?: "auto" | "always" | "never";
}

export function figureHtml(figure: Figure, options: HtmlOptions = {}): string {
  const mode = options.bundle ?? "auto";
  const includeBundle = mode === "always" || (mode === "auto" && !bundleSent);
  if (includeBundle) bundleSent = true;
  const id = `d2l-figure-${process.pid}-${Date.now().toString(36)}-${counter++}`;
  const height = typeof figure.layout.height === "number" ? figure.layout.height : 420;
  const payload = { data: figure.data, layout: figure.layout, frames: figure.frames ?? null, config: { responsive: true, displaylogo: false, ...figure.config } };
  // Hide an AMD `define` (classic Notebook loads require.js) so the bundle sets window.Plotly.
  const bundle = includeBundle
    ? `(function () { var savedDefine = window.define; window.define = undefined; try {\n${plotlyBundle()}\n} finally { window.define = savedDefine; } })();\n`
    : "";
  return `<div id="${id}" class="d2l-figure" style="width:100%;min-height:${height}px">` +
    `<p class="d2l-figure-hint" style="font-style:italic;color:#666">${escapeHtml(HINTS[figure.lang](figure.title))}</p></div>\n` +
    `<script type="text/javascript">\n${bundle}` +
    `(function () {\n  var fig = ${scriptJson(payload)};\n  var tries = 0;\n` +
    `  ${FROM_SERVER}` +
    `  function draw() {\n    var el = document.getElementById(${JSON.stringify(id)});\n    if (!el) return;\n` +
    `    if (!window.Plotly) {\n      // 2 s without it: the page may have been reloaded; fetch it from the server meanwhile.\n` +
    `      if (++tries === 40) loadPlotly(function () {});\n` +
    `      if (tries < 300) return setTimeout(draw, 50);\n` +
    `      el.firstChild.textContent = ${JSON.stringify(MISSING[figure.lang])};\n      return;\n    }\n` +
    `    el.innerHTML = "";\n    window.Plotly.newPlot(el, fig.data, fig.layout, fig.config).then(function () {\n` +
    `      if (fig.frames) window.Plotly.addFrames(el, fig.frames);\n    });\n  }\n  draw();\n})();\n</script>`;
}
