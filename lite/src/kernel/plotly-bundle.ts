/**
 * src/plot/bundle.ts in the browser kernel: the plotly bundle's text, which the worker fetched
 * from the site (files/node_modules/plotly.js-dist-min/plotly.min.js) before it said it was ready. The first figure of a session
 * carries it, as under tslab, so a notebook saved from the browser draws its figures anywhere.
 */
let text: string | null = null;

export function setPlotlyBundleText(t: string): void {
  text = t;
}

export function plotlyBundleText(): string {
  if (text === null) throw new Error("the plotly bundle has not been loaded into the kernel yet");
  return text;
}
