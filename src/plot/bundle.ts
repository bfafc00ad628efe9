import * as fs from "node:fs";

/**
 * The text of the plotly bundle, which the first figure of a session carries (./html.ts). In Node it
 * is read from the installed package; the browser build (lite/) puts its own version of this file in
 * its place, returning the text the kernel's worker fetched from the site.
 */
let bundleText: string | null = null;

export function plotlyBundleText(): string {
  // require("plotly.js-dist-min") fails in Node (it needs a browser): read the file instead.
  return (bundleText ??= fs.readFileSync(require.resolve("plotly.js-dist-min"), "utf8"));
}
