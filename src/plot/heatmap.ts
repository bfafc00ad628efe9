import { Tensor } from "../tensor/tensor";

/** Shared pieces for grid pictures: a 2-D tensor as a plotly heatmap with its values written in. */

export type Lang = "zh" | "en";

/** Rows of a 2-D tensor (or the last two dims of a (1, 1, H, W) tensor) as nested numbers. */
export function grid(t: Tensor): (number | null)[][] {
  const H = t.shape[t.dim() - 2];
  const W = t.shape[t.dim() - 1];
  if (t.numel() !== H * W) throw new Error(`expected one H×W plane, got shape [${t.shape.join(", ")}]`);
  return Array.from({ length: H }, (_, h) => Array.from({ length: W }, (_, w) => finite(t.data[h * W + w])));
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

export interface HeatmapOptions {
  xaxis?: string;
  yaxis?: string;
  x?: number[];
  y?: number[];
  showscale?: boolean;
  colorscale?: string;
  zmin?: number;
  zmax?: number;
  name?: string;
}

/** A heatmap trace that prints each cell's value (rounded for display only). */
export function heatmap(z: (number | null)[][], options: HeatmapOptions = {}): Record<string, unknown> {
  return {
    type: "heatmap",
    z,
    x: options.x,
    y: options.y,
    xaxis: options.xaxis ?? "x",
    yaxis: options.yaxis ?? "y",
    colorscale: options.colorscale ?? "Blues",
    // plotly's built-in "Blues" runs dark → light; reversed, larger values are darker.
    reversescale: (options.colorscale ?? "Blues") === "Blues",
    showscale: options.showscale ?? false,
    zmin: options.zmin,
    zmax: options.zmax,
    name: options.name,
    text: z.map((row) => row.map((v) => (v === null ? "" : formatCell(v)))),
    texttemplate: "%{text}",
    hovertemplate: "h=%{y}, w=%{x}: %{z}<extra></extra>",
    xgap: 2,
    ygap: 2,
  };
}

function formatCell(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

/** Axis settings for a grid: row 0 at the top, square cells, integer ticks. */
export function gridAxes(title: { x: string; y: string }, domain?: [number, number]): { x: object; y: object } {
  return {
    x: { title: { text: title.x }, dtick: 1, domain, constrain: "domain", zeroline: false, showgrid: false },
    y: { title: { text: title.y }, dtick: 1, autorange: "reversed", scaleanchor: undefined, zeroline: false, showgrid: false },
  };
}

/** A rectangle around cells [h0, h1) × [w0, w1) on the given axes. */
export function cellRect(
  h0: number,
  h1: number,
  w0: number,
  w1: number,
  axes: { x: string; y: string },
  style: { color: string; fill?: string; width?: number },
): Record<string, unknown> {
  return {
    type: "rect",
    xref: axes.x,
    yref: axes.y,
    x0: w0 - 0.5,
    x1: w1 - 0.5,
    y0: h0 - 0.5,
    y1: h1 - 0.5,
    line: { color: style.color, width: style.width ?? 3 },
    fillcolor: style.fill ?? "rgba(0,0,0,0)",
  };
}
