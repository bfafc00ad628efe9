import { Figure, HtmlOptions, figureHtml } from "./html";

/**
 * Show a figure in the notebook (tslab). Outside a tslab kernel — a script, a test — nothing
 * is displayed and the HTML is returned, so the same code runs everywhere.
 */
export function show(figure: Figure, options: HtmlOptions = {}): string {
  const html = figureHtml(figure, options);
  try {
    // tslab is the kernel's own module; its display only works inside a running kernel.
    const tslab = require("tslab") as typeof import("tslab");
    tslab.display.html(html);
  } catch {
    // Not inside tslab: the caller gets the HTML.
  }
  return html;
}
