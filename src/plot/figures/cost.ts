import { Figure } from "../html";
import { Lang } from "../heatmap";

const TEXT = {
  zh: {
    title: "最大汇聚每个输出的实测时间，对照两种读取次数",
    window: "每个输出的读取次数：逐窗口扫描 k_h·k_w<br>（练习 3 的计数；PyTorch 的 CPU 内核）",
    separable: "每个输出的读取次数：可分离内核<br>（本模块的 float32 内核）",
    y: "每个输出的时间（纳秒，最快的一次）",
    fit: (r2: number) => `最小二乘直线 a + b·读取次数（R² = ${r2.toFixed(2)}）`,
    measured: "实测",
  },
  en: {
    title: "Max pooling's measured time per output against two read counts",
    window: "reads per output, every window scanned: k_h·k_w<br>(exercise 4's count; PyTorch's CPU kernel)",
    separable: "reads per output, separable kernel<br>(this module's float32 kernel)",
    y: "time per output (ns, fastest call)",
    fit: (r2: number) => `least squares a + b·reads (R² = ${r2.toFixed(2)})`,
    measured: "measured",
  },
};

export interface CostPoint {
  label: string;
  /** Reads per output when every window is scanned cell by cell: k_h·k_w. */
  window: number;
  /** Reads per output of this module's separable float32 kernel. */
  separable: number;
  /** Measured time per output, in nanoseconds. */
  ns: number;
}

/** Least squares y ≈ a + b·x, and R² (the share of y's variance the line explains). */
export function lineFit(xs: number[], ys: number[]): { a: number; b: number; r2: number } {
  const n = xs.length;
  const mx = xs.reduce((s, v) => s + v, 0) / n;
  const my = ys.reduce((s, v) => s + v, 0) / n;
  const sxx = xs.reduce((s, v) => s + (v - mx) ** 2, 0);
  const sxy = xs.reduce((s, v, i) => s + (v - mx) * (ys[i] - my), 0);
  const syy = ys.reduce((s, v) => s + (v - my) ** 2, 0);
  const b = sxx === 0 ? 0 : sxy / sxx;
  const a = my - b * mx;
  return { a, b, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}

/**
 * Measured time per output against two cost models side by side, each with its least-squares line
 * a + b·reads (a: the fixed cost of an output, b: the cost of a read). The model that describes the
 * algorithm actually run puts the points on its line.
 */
export function costFigure(points: CostPoint[], lang: Lang = "zh"): Figure {
  const t = TEXT[lang];
  points.forEach((p, i) => {
    const bad = (["window", "separable", "ns"] as const).filter((key) => !Number.isFinite(p[key]));
    if (bad.length) throw new Error(`costFigure: point ${i} (${p.label}) needs finite numbers for ${bad.join(", ")} (reads per output, and the time per output in ns)`);
  });
  const data: object[] = [];
  const layout: Record<string, unknown> = {
    title: { text: t.title },
    height: 500,
    margin: { b: 150 },
    legend: { orientation: "h", y: -0.36 },
    yaxis: { title: { text: t.y }, rangemode: "tozero" },
  };
  (["window", "separable"] as const).forEach((model, i) => {
    const xs = points.map((p) => p[model]);
    const { a, b, r2 } = lineFit(xs, points.map((p) => p.ns));
    const [lo, hi] = [Math.min(...xs), Math.max(...xs)];
    const axis = i === 0 ? "" : "2";
    data.push(
      {
        type: "scatter",
        mode: "markers+text",
        name: t.measured,
        showlegend: i === 0,
        x: xs,
        y: points.map((p) => p.ns),
        text: points.map((p) => p.label),
        textposition: "top center",
        hovertemplate: "%{text}<br>%{x:.1f} reads, %{y:.2f} ns<extra></extra>",
        marker: { size: 10, color: "#1f77b4" },
        xaxis: `x${axis}`,
        yaxis: `y${axis}`,
      },
      { type: "scatter", mode: "lines", name: t.fit(r2), x: [lo, hi], y: [a + b * lo, a + b * hi], line: { dash: "dash" }, xaxis: `x${axis}`, yaxis: `y${axis}` },
    );
    layout[`xaxis${axis}`] = { title: { text: t[model] }, rangemode: "tozero", domain: i === 0 ? [0, 0.46] : [0.54, 1], anchor: `y${axis}` };
  });
  layout.yaxis2 = { rangemode: "tozero", anchor: "x2", matches: "y" };
  return { title: t.title, lang, data, layout };
}
