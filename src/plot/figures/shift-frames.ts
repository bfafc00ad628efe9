import { Tensor } from "../../tensor/tensor";
import { Figure } from "../html";
import { Lang, SCALES, heatmap } from "../heatmap";

export interface ShiftFramesOptions {
  /** How many columns of the input each frame shows. */
  width: number;
  /** Frames 0 … shifts. */
  shifts: number;
  lang?: Lang;
}

const TEXT = {
  zh: {
    title: "逐像素平移：同一个输入在固定的汇聚窗口下左移 d 个像素（每行是一帧）",
    frames: "输入（红色虚线：步幅 2 的窗口边界）",
    d: "平移 d",
    column: "列",
  },
  en: {
    title: "Moving pixel by pixel: each input moved d pixels left under fixed pooling windows (one row per frame)",
    frames: "input (dotted red: window borders, stride 2)",
    d: "shift d",
    column: "column",
  },
};

/** The first row of the first plane of a (…, H, W) tensor: its first W elements in memory order. */
function firstRow(t: Tensor): (number | null)[] {
  const W = t.shape[t.dim() - 1];
  return Array.from(t.data.slice(0, W), (v) => (Number.isFinite(v) ? v : null));
}

/**
 * A pattern moving under fixed pooling windows. Frame d is the input seen through `width` columns
 * starting at column d — the content moved d pixels to the left, the windows where they were. One row
 * of panels per input: the frames, then each pool's output for every frame (its first row; the
 * inputs here are alike in every row), so a move that changes nothing shows as two equal rows.
 */
export function shiftFramesFigure(
  inputs: Record<string, Tensor>,
  pools: Record<string, (X: Tensor) => Tensor>,
  options: ShiftFramesOptions,
): Figure {
  const lang = options.lang ?? "zh";
  const t = TEXT[lang];
  const columns: [string, ((X: Tensor) => Tensor) | null][] = [[t.frames, null], ...Object.entries(pools)];
  const names = Object.keys(inputs);
  // The frames are `width` columns wide, the pooled rows about half that: the first column of panels
  // gets a third of the width, the pools share the rest.
  const gap = 0.035;
  const first = 0.34;
  const rest = (1 - first - gap * (columns.length - 1)) / Math.max(1, columns.length - 1);
  const xDomain = (c: number): [number, number] => (c === 0 ? [0, first] : [first + gap + (c - 1) * (rest + gap), first + gap + (c - 1) * (rest + gap) + rest]);
  const rowGap = 0.1;
  const height = (1 - rowGap * (names.length - 1)) / names.length;
  const yDomain = (r: number): [number, number] => [1 - r * (height + rowGap) - height, 1 - r * (height + rowGap)];
  const data: object[] = [];
  const annotations: object[] = [];
  const shapes: object[] = [];
  const layout: Record<string, unknown> = {};
  names.forEach((name, r) => {
    const X = inputs[name];
    const W = X.shape[X.dim() - 1];
    if (W < options.width + options.shifts) {
      throw new Error(`shiftFramesFigure: input "${name}" has ${W} columns; ${options.shifts} shifts of a ${options.width}-column frame need ${options.width + options.shifts}`);
    }
    const frames = Array.from({ length: options.shifts + 1 }, (_, d) => X.index("...", [d, d + options.width]));
    // One colour range per row of panels, the input's: the poolings of one input are compared, and
    // every pooled value lies between the input's smallest and largest.
    const values = Array.from(X.data).filter(Number.isFinite);
    const range = { zmin: Math.min(0, ...values), zmax: Math.max(1e-9, ...values) };
    columns.forEach(([label, pool], c) => {
      const n = r * columns.length + c + 1;
      const z = frames.map((f) => firstRow(pool ? pool(f) : f));
      data.push({
        ...heatmap(z, { xaxis: `x${n}`, yaxis: `y${n}`, colorscale: pool ? SCALES.output : SCALES.input, ...range }),
        hovertemplate: `${t.d}=%{y}, ${t.column} %{x}: %{z}<extra></extra>`,
      });
      layout[`xaxis${n}`] = { domain: xDomain(c), anchor: `y${n}`, dtick: 1, showgrid: false, zeroline: false, showticklabels: false };
      layout[`yaxis${n}`] = {
        domain: yDomain(r),
        anchor: `x${n}`,
        dtick: 1,
        autorange: "reversed",
        showgrid: false,
        zeroline: false,
        showticklabels: c === 0,
        title: c === 0 ? { text: `${name}<br>${t.d}` } : undefined,
      };
      annotations.push({ text: r === 0 ? label : "", xref: `x${n} domain`, yref: `y${n} domain`, x: 0.5, y: 1.02, yanchor: "bottom", showarrow: false });
      // The windows of a 2-wide pool with stride 2 start at the even columns: mark their borders.
      if (!pool) {
        for (let b = 2; b < options.width; b += 2) {
          shapes.push({ type: "line", xref: `x${n}`, yref: `y${n} domain`, x0: b - 0.5, x1: b - 0.5, y0: 0, y1: 1, line: { color: "#d62728", width: 2, dash: "dot" } });
        }
      }
    });
  });
  return {
    title: t.title,
    lang,
    data,
    layout: { ...layout, title: { text: t.title }, height: 140 + 190 * names.length, annotations, shapes },
  };
}
