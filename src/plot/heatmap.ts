import { Tensor } from "../tensor/tensor";
import { cellLabel } from "./animation";

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

/** A plotly colour scale: stops from 0 (the smallest value) to 1 (the largest). */
export type ColorScale = readonly (readonly [number, string])[];

/**
 * The figures' colour scales. Each starts at a colour that is clearly a colour, so a cell's smallest
 * value never looks like an empty cell (plotly's own "Blues" and "Reds" start at a light grey, which
 * read as "nothing here"). White means empty: an output not computed yet. Lilac means padding.
 */
export const SCALES = {
  /** Inputs: light to dark blue. */
  input: [[0, "#bdd7ee"], [0.5, "#4a90c8"], [1, "#0b3c78"]] as ColorScale,
  /** Outputs and gradients: salmon to dark red. */
  output: [[0, "#fcbba1"], [0.5, "#ef5a3c"], [1, "#7f0a10"]] as ColorScale,
  /** An image's pixels: 0 near black, 1 the colour of paper (not white: white is an empty cell). */
  image: [[0, "#1a1a1a"], [1, "#f6e3b4"]] as ColorScale,
  /** Panels compared on one shared range. */
  shared: "Viridis",
} as const;

/** Padding (and, with ceilMode, cells outside the input): lilac; paler where no window reaches it. */
export const PADDING = { read: "#d9c6ef", unread: "#efe6f8" };

export interface HeatmapOptions {
  xaxis?: string;
  yaxis?: string;
  x?: number[];
  y?: number[];
  showscale?: boolean;
  colorscale?: ColorScale | string;
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
    colorscale: options.colorscale ?? SCALES.input,
    showscale: options.showscale ?? false,
    zmin: options.zmin,
    zmax: options.zmax,
    name: options.name,
    text: z.map((row) => row.map((v) => (v === null ? "" : cellLabel(v)))),
    texttemplate: "%{text}",
    hovertemplate: "h=%{y}, w=%{x}: %{z}<extra></extra>",
    xgap: 2,
    ygap: 2,
  };
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

/**
 * The axes of a panel with nothing to draw (an exercise not done yet): hidden, so no stray ticks
 * appear, with `message` in the middle of the panel. Returns the layout entries for `axis`
 * ("" for the first panel, "2", "3", …) and adds the message to `annotations`.
 */
export function missingPanel(axis: string, domain: [number, number], message: string, annotations: object[]): Record<string, unknown> {
  annotations.push({ text: message, xref: "paper", yref: "paper", x: (domain[0] + domain[1]) / 2, y: 0.5, showarrow: false, font: { color: "#777" } });
  return {
    [`xaxis${axis}`]: { domain, anchor: `y${axis}`, visible: false },
    [`yaxis${axis}`]: { anchor: `x${axis}`, visible: false },
  };
}
