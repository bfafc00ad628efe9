import { Figure, HtmlOptions, figureHtml } from "./html";

/**
 * Show a figure in the notebook (tslab). Returns nothing, so a cell ending in `show(...)` prints
 * nothing besides the figure. Outside a tslab kernel (a script, a test) it does nothing; use
 * `figureHtml` there to get the HTML.
 */
export function show(figure: Figure, options: HtmlOptions = {}): void {
  const html = figureHtml(figure, options);
  try {
    // tslab is the kernel's own module; its display only works inside a running kernel.
    const tslab = require("tslab") as typeof import("tslab");
    tslab.display.html(html);
  } catch {
    // Not inside a running tslab kernel: nothing to display into.
  }
}
