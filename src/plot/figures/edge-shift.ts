import { Tensor } from "../../tensor/tensor";
import { ones, tensor } from "../../tensor/creation";
import { corr2d } from "../../conv";
import { maxPool2d } from "../../pooling/max";
import { Figure } from "../html";
import { Lang, grid, heatmap } from "../heatmap";

const TEXT = {
  zh: {
    title: "平移一个像素：卷积的边缘响应与 2×2 最大汇聚之后",
    image: "图像 X",
    shifted: "右移一像素后的 Z",
    conv: "边缘响应 corr2d(·, [1, −1])",
    pooled: "2×2 最大汇聚（步幅 1）",
    unchanged: (conv: number, pooled: number) =>
      `不变的输出：卷积 ${(conv * 100).toFixed(0)}%，汇聚后 ${(pooled * 100).toFixed(0)}%`,
  },
  en: {
    title: "Shift by one pixel: edge response before and after 2×2 max pooling",
    image: "image X",
    shifted: "Z: shifted by one pixel",
    conv: "edge response corr2d(·, [1, −1])",
    pooled: "2×2 max pooling (stride 1)",
    unchanged: (conv: number, pooled: number) =>
      `unchanged outputs: convolution ${(conv * 100).toFixed(0)}%, after pooling ${(pooled * 100).toFixed(0)}%`,
  },
};

/** The chapter's edge image (d2l 6.2): ones, with a black band in columns 2..5. */
export function edgeImage(): Tensor {
  const X = ones(6, 8);
  X.set([null, [2, 6]], 0);
  return X;
}

/** Shift an image one pixel: Z[i, j] = X[i, j + 1] (the last column repeats its edge). */
export function shiftLeft(X: Tensor): Tensor {
  const [H, W] = X.shape;
  const Z = X.clone();
  for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) Z.set([i, j], X.get(i, Math.min(j + 1, W - 1)));
  return Z;
}

/** The fraction of positions where two same-shaped tensors are equal. */
export function fractionUnchanged(a: Tensor, b: Tensor): number {
  let same = 0;
  for (let i = 0; i < a.numel(); i++) if (a.data[i] === b.data[i]) same++;
  return same / a.numel();
}

export interface EdgeShiftResult {
  figure: Figure;
  unchangedConv: number;
  unchangedPooled: number;
}

/**
 * The chapter's argument made visible: the convolution's edge response moves with a
 * one-pixel shift, while 2×2 max pooling keeps most of its outputs where they were.
 */
export function edgeShiftFigure(lang: Lang = "zh", X: Tensor = edgeImage()): EdgeShiftResult {
  const t = TEXT[lang];
  const K = tensor([[1, -1]]);
  const Z = shiftLeft(X);
  const pool = (Y: Tensor) => maxPool2d(Y.reshape(1, 1, ...Y.shape), 2, { stride: 1 }).reshape(Y.shape[0] - 1, Y.shape[1] - 1);
  const [convX, convZ] = [corr2d(X, K), corr2d(Z, K)];
  const [poolX, poolZ] = [pool(convX), pool(convZ)];
  const unchangedConv = fractionUnchanged(convX, convZ);
  const unchangedPooled = fractionUnchanged(poolX, poolZ);
  const cells: [Tensor, string][] = [
    [X, t.image],
    [convX, t.conv],
    [poolX, t.pooled],
    [Z, t.shifted],
    [convZ, t.conv],
    [poolZ, t.pooled],
  ];
  const data = cells.map(([m], i) =>
    heatmap(grid(m), { xaxis: `x${i + 1}`, yaxis: `y${i + 1}`, colorscale: i % 3 === 0 ? "Greys" : "RdBu", zmin: -1, zmax: 1 }),
  );
  const layout: Record<string, unknown> = {
    title: { text: `${t.title}<br><sub>${t.unchanged(unchangedConv, unchangedPooled)}</sub>` },
    height: 560,
    margin: { t: 120 },
    grid: { rows: 2, columns: 3, pattern: "independent" },
    annotations: cells.map(([, label], i) => ({
      text: label,
      xref: `x${i + 1} domain`,
      yref: `y${i + 1} domain`,
      x: 0.5,
      y: 1.12,
      showarrow: false,
    })),
  };
  cells.forEach((_, i) => {
    layout[`xaxis${i + 1}`] = { dtick: 1, showgrid: false, zeroline: false };
    layout[`yaxis${i + 1}`] = { dtick: 1, autorange: "reversed", showgrid: false, zeroline: false };
  });
  return { figure: { title: t.title, lang, data, layout }, unchangedConv, unchangedPooled };
}
