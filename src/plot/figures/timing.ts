import { Figure } from "../html";
import { Lang } from "../heatmap";

const TEXT = {
  zh: {
    title: "最大汇聚每个输出的实测时间（对数刻度）",
    x: "窗口大小 k（k×k，步幅 1）",
    y: "每个输出的时间（纳秒，最快的一次）",
  },
  en: {
    title: "Max pooling's measured time per output (log scale)",
    x: "window size k (k×k, stride 1)",
    y: "time per output (ns, fastest call)",
  },
};

export interface TimingSeries {
  /** What was timed, e.g. "reference loop (float64)". */
  name: string;
  /** Time per output in nanoseconds, one per window size. */
  ns: number[];
}

/**
 * Measured time per output against the window size, one line per implementation, on a logarithmic
 * axis (equal steps are equal factors, so growth rates can be compared by eye). The window sizes are
 * the axis ticks: no text sits on the points, so nothing is clipped or covered.
 */
export function timingFigure(windowSizes: number[], series: TimingSeries[], lang: Lang = "zh"): Figure {
  const t = TEXT[lang];
  if (series.length === 0) throw new Error("timingFigure needs at least one series of times");
  for (const { name, ns } of series) {
    if (ns.length !== windowSizes.length) {
      throw new Error(`timingFigure: "${name}" has ${ns.length} times for ${windowSizes.length} window sizes (one time per window size)`);
    }
    const bad = ns.findIndex((v) => !(Number.isFinite(v) && v > 0));
    if (bad >= 0) throw new Error(`timingFigure: "${name}" at k=${windowSizes[bad]} is ${ns[bad]}; times must be positive numbers (ns per output)`);
  }
  const data = series.map(({ name, ns }) => ({
    type: "scatter",
    mode: "lines+markers",
    name,
    x: windowSizes,
    y: ns,
    marker: { size: 9 },
    hovertemplate: "k=%{x}: %{y:.3g} ns<extra></extra>",
  }));
  return {
    title: t.title,
    lang,
    data,
    layout: {
      title: { text: t.title },
      height: 460,
      xaxis: { title: { text: t.x }, tickvals: windowSizes, range: [0, Math.max(...windowSizes) + 1], zeroline: false },
      yaxis: { title: { text: t.y }, type: "log" },
      legend: { orientation: "h", y: -0.22 },
      margin: { b: 110 },
    },
  };
}
