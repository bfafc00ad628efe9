import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import { torch } from "../../src/index";
import {
  adaptiveWindowFigure, costFigure, edgeShiftFigure, lineFit, figureHtml, gradientFigure, poolingComparisonFigure, resendBundle,
  shiftFramesFigure, slidingWindowFigure, softmaxBetaFigure,
} from "../../src/plot";
import { F } from "../../src/index";

const bundleHead = fs.readFileSync(require.resolve("plotly.js-dist-min"), "utf8").slice(0, 200);

describe("figure HTML", () => {
  it("carries the plotly bundle with the first figure of a session only", () => {
    resendBundle();
    const X = torch.tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
    const first = figureHtml(slidingWindowFigure(X, 2, { stride: 1 }));
    const second = figureHtml(slidingWindowFigure(X, 2, { stride: 1 }));
    expect(first).toContain(bundleHead);
    expect(second).not.toContain(bundleHead);
    expect(first.length).toBeGreaterThan(4_000_000);
    expect(second.length).toBeLessThan(100_000);
    expect(figureHtml(slidingWindowFigure(X, 2), { bundle: "always" })).toContain(bundleHead);
  });

  it("shows a one-line hint in the notebook's language until the script draws", () => {
    const X = torch.tensor([[0, 1], [2, 3]]);
    expect(figureHtml(slidingWindowFigure(X, 1, { lang: "zh" }), { bundle: "never" })).toMatch(/<p class="d2l-figure-hint"[^>]*>图：最大汇聚/);
    expect(figureHtml(slidingWindowFigure(X, 1, { lang: "en" }), { bundle: "never" })).toMatch(/<p class="d2l-figure-hint"[^>]*>Figure: Max pooling/);
  });

  it("never lets data end the script element early", () => {
    const html = figureHtml(costFigure([{ window: 1, separable: 1, ns: 1, label: "</script><b>x" }, { window: 4, separable: 2, ns: 2, label: "y" }], "en"), { bundle: "never" });
    expect(html.match(/<\/script>/g)).toHaveLength(1);
  });
});

describe("figure contents", () => {
  it("the sliding window fills the output with what max pooling computes, cell by cell", () => {
    // The chapter's figure 6.5.1: max over 2×2 windows of [[0,1,2],[3,4,5],[6,7,8]] is [[4,5],[7,8]].
    const fig = slidingWindowFigure(torch.tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]]), 2, { stride: 1 });
    const frames = fig.frames as { data: [{ z: (number | null)[][] }, { x: number[]; y: number[] }] }[];
    expect(frames).toHaveLength(4);
    expect(frames[3].data[0].z).toEqual([[4, 5], [7, 8]]);
    expect(frames[0].data[0].z).toEqual([[4, null], [null, null]]);
    // The marked argmax of the last window (rows 1-2, cols 1-2) is the 8 at h=2, w=2.
    expect(frames[3].data[1]).toEqual({ x: [2], y: [2] });
  });

  it("padding on every side; padding no window reaches is drawn paler, in every frame", () => {
    // The chapter's layer: 3×3 windows, padding 1, stride 2 on a 4×4 input. Worked by hand: the
    // windows start at rows (columns) −1 and 1 and cover −1…1 and 1…3, so the padding row 4 and
    // column 4 lie in no window: 6 + 6 − 1 = 11 cells.
    const X = torch.arange(16, { dtype: torch.float32 }).reshape(4, 4);
    const fig = slidingWindowFigure(X, 3, { padding: 1, stride: 2, lang: "en" });
    const input = fig.data[0] as { x: number[]; y: number[] };
    expect(input.x).toEqual([-1, 0, 1, 2, 3, 4]);
    expect(input.y).toEqual([-1, 0, 1, 2, 3, 4]);
    type Shape = { layer?: string; x0: number; y0: number };
    const pale = (shapes: Shape[]) => shapes.filter((s) => s.layer === "below").map((s) => [s.y0 + 0.5, s.x0 + 0.5]);
    const expected = [-1, 0, 1, 2, 3, 4].flatMap((i) => (i === 4 ? [[4, 4]] : [[4, i], [i, 4]]));
    const sortCells = (cells: number[][]) => [...cells].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(sortCells(pale(fig.layout.shapes as Shape[]))).toEqual(sortCells(expected));
    for (const frame of fig.frames as { layout: { shapes: Shape[] } }[]) expect(pale(frame.layout.shapes)).toHaveLength(11);
    expect((fig.layout.annotations as { text: string }[])[0].text).toContain("paler: padding no window reaches");
    // Stride 1 reads the padding on every side: nothing pale, and the plain caption.
    const dense = slidingWindowFigure(X, 3, { padding: 1, stride: 1, lang: "en" });
    expect(pale(dense.layout.shapes as Shape[])).toEqual([]);
    expect((dense.layout.annotations as { text: string }[])[0].text).toBe("input (lilac: padding or outside)");
  });

  it("a still picture of one window next to the whole output (the book's figure 6.5.1)", () => {
    const X = torch.tensor([[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
    const fig = slidingWindowFigure(X, 2, { stride: 1, still: 0, lang: "zh" });
    expect(fig.frames).toBeUndefined();
    expect(fig.layout.sliders).toBeUndefined();
    expect((fig.data[1] as { z: number[][] }).z).toEqual([[4, 5], [7, 8]]);
    // The first window covers rows 0–1 and columns 0–1; its maximum 4 sits at h = 1, w = 1.
    expect(fig.data[2]).toMatchObject({ x: [1], y: [1] });
    expect((fig.layout.shapes as object[])[0]).toMatchObject({ xref: "x", x0: -0.5, x1: 1.5, y0: -0.5, y1: 1.5 });
    // The last window (rows 1–2, columns 1–2) holds the 8 at h = 2, w = 2.
    expect(slidingWindowFigure(X, 2, { stride: 1, still: 3 }).data[2]).toMatchObject({ x: [2], y: [2] });
    expect(() => slidingWindowFigure(X, 2, { stride: 1, still: 4 })).toThrow("still must be the number of a window, 0 to 3 (row-major), got 4");
  });

  it("the edge example: each edge keeps one of its two pooled outputs after the shift; none of its strength cells", () => {
    // Worked by hand. X's rows are 1 1 0 0 0 0 1 1; Z = X moved left: 1 0 0 0 0 1 1 1.
    // |X ⋆ [1, −1]|: 0 1 0 0 0 1 0 and 1 0 0 0 1 0 0 (no lit cell in common); 2×2 max pooling,
    // stride 1: 1 1 0 0 1 1 and 1 0 0 1 1 0 (columns 0 and 4 lit in both).
    const { strength, pooled, figure } = edgeShiftFigure("en");
    expect(strength.X.index(0).tolist()).toEqual([0, 1, 0, 0, 0, 1, 0]);
    expect(strength.Z.index(0).tolist()).toEqual([1, 0, 0, 0, 1, 0, 0]);
    expect(pooled.X.index(0).tolist()).toEqual([1, 1, 0, 0, 1, 1]);
    expect(pooled.Z.index(0).tolist()).toEqual([1, 0, 0, 1, 1, 0]);
    expect((figure.layout.title as { text: string }).text).toContain("edge strength 0 of 2, after pooling 2 of 4");
    // Outlined: the two pooled cells lit in both rows, in both pooled panels, on all 5 rows.
    expect((figure.layout.shapes as object[]).length).toBe(2 * 2 * 5);
  });

  it("dilation: a 2×2 window with dilation 2 reads four cells two apart", () => {
    const X = torch.arange(25, { dtype: "float32" }).reshape(5, 5);
    const fig = slidingWindowFigure(X, 2, { stride: 1, dilation: 2, lang: "en" });
    const frames = fig.frames as { data: [{ z: (number | null)[][] }, { x: number[]; y: number[] }]; layout: { shapes: object[] } }[];
    expect(frames).toHaveLength(9);
    // The first window reads (0,0), (0,2), (2,0), (2,2): its max is 12, at h = 2, w = 2.
    expect(frames[0].data[0].z[0][0]).toBe(12);
    expect(frames[0].data[1]).toEqual({ x: [2], y: [2] });
    expect(frames[0].layout.shapes).toHaveLength(4 + 1);
    expect(fig.title).toBe("Max pooling: 2×2 window, stride 1, padding 0, dilation 2");
    expect(() => slidingWindowFigure(X, 2, { mode: "avg", dilation: 2 })).toThrow(/no dilation/);
  });

  it("ceilMode: the last window hangs over the edge and the picture shows where", () => {
    const X = torch.arange(25, { dtype: "float32" }).reshape(5, 5);
    const fig = slidingWindowFigure(X, 2, { ceilMode: true, lang: "en" });
    const frames = fig.frames as { data: [{ z: (number | null)[][] }] }[];
    expect(frames).toHaveLength(9);
    expect(frames[8].data[0].z).toEqual(F.maxPool2d(X.reshape(1, 1, 5, 5), 2, { ceilMode: true }).reshape(3, 3).tolist());
    expect((fig.data[0] as { x: number[] }).x).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("adaptive windows: output 3 of 5 covers rows 0–1, 1–3 and 3–4", () => {
    const X = torch.arange(25, { dtype: "float32" }).reshape(5, 5);
    const fig = adaptiveWindowFigure(X, 3, { lang: "en" });
    const frames = fig.frames as { data: [{ z: (number | null)[][] }]; layout: { shapes: { x0: number; x1: number }[] } }[];
    expect(frames[8].data[0].z).toEqual([[6, 8, 9], [16, 18, 19], [21, 23, 24]]);
    // The middle window spans columns 1..3: its outline runs from 0.5 to 3.5.
    expect([frames[4].layout.shapes[0].x0, frames[4].layout.shapes[0].x1]).toEqual([0.5, 3.5]);
  });

  it("where the gradient goes: the last frame is the whole backward pass", () => {
    // 0…15 in a 4×4 grid, 2×2 windows with stride 1: every window's max is its bottom-right cell,
    // so those nine cells get 1 each; the average gives each cell 1/4 per window that covers it.
    const X = torch.arange(16, { dtype: "float32" }).reshape(4, 4);
    const last = (mode: "max" | "avg") => {
      const frames = gradientFigure(X, 2, { mode, stride: 1, lang: "en" }).frames as { data: [unknown, { z: number[][] }] }[];
      expect(frames).toHaveLength(9);
      return frames[8].data[1].z;
    };
    expect(last("max")).toEqual([[0, 0, 0, 0], [0, 1, 1, 1], [0, 1, 1, 1], [0, 1, 1, 1]]);
    expect(last("avg")).toEqual([[0.25, 0.5, 0.5, 0.25], [0.5, 1, 1, 0.5], [0.5, 1, 1, 0.5], [0.25, 0.5, 0.5, 0.25]]);
  });

  it("shift frames: a line moving inside a window leaves the max unchanged, across a boundary it jumps", () => {
    const line = torch.zeros(1, 1, 2, 10);
    line.set(["...", 5], 1);
    const fig = shiftFramesFigure({ line }, { max: (X) => F.maxPool2d(X, 2) }, { width: 8, shifts: 2, lang: "en" });
    const z = (fig.data as { z: number[][] }[]).map((d) => d.z);
    expect(z[0]).toEqual([[0, 0, 0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 1, 0, 0, 0], [0, 0, 0, 1, 0, 0, 0, 0]]);
    // Column 5 → 4 stays in the window over columns 4–5; 4 → 3 crosses into the one over 2–3.
    expect(z[1]).toEqual([[0, 0, 1, 0], [0, 0, 1, 0], [0, 1, 0, 0]]);
    expect(() => shiftFramesFigure({ line }, {}, { width: 8, shifts: 3 })).toThrow(/need 11/);
  });

  it("the cost plot's line: least squares a + b·x, and R² (worked by hand)", () => {
    // y = 1 + 2x exactly: a = 1, b = 2, R² = 1. Points (0, 0), (1, 2), (2, 1): mean x 1, mean y 1,
    // Sxx = 2, Sxy = 1, Syy = 2: b = 0.5, a = 0.5, R² = 1·1 / (2·2) = 0.25.
    expect(lineFit([0, 1, 2, 3], [1, 3, 5, 7])).toEqual({ a: 1, b: 2, r2: 1 });
    expect(lineFit([0, 1, 2], [0, 2, 1])).toEqual({ a: 0.5, b: 0.5, r2: 0.25 });
    const fig = costFigure([{ window: 4, separable: 4, ns: 3 }, { window: 441, separable: 51.5, ns: 10 }].map((p, i) => ({ ...p, label: `p${i}` })), "en");
    expect((fig.data[1] as { name: string }).name).toBe("least squares a + b·reads (R² = 1.00)");
    expect(() => costFigure([{ label: "k=2", window: 4, separable: NaN, ns: 3 }], "en")).toThrow("point 0 (k=2) needs finite numbers for separable");
  });

  it("the β slider: one frame per β; an exercise that is not done yet says so", () => {
    const x = torch.tensor([[1, 2], [3, 4]]);
    const ends = { max: torch.tensor([[4]]), avg: torch.tensor([[2.5]]) };
    const fig = softmaxBetaFigure(x, [{ beta: 0, output: torch.tensor([[2.5]]) }, { beta: 8, output: torch.tensor([[3.9]]) }], ends, "en");
    expect((fig.frames as { name: string }[]).map((f) => f.name)).toEqual(["0", "8"]);
    const missing = softmaxBetaFigure(x, [{ beta: 1, output: new Error("not implemented yet") }], ends, "en");
    expect(missing.frames).toBeUndefined();
    expect((missing.layout.annotations as { text: string }[])[2].text).toContain("(not implemented yet)");
  });

  it("a comparison panel whose result is an Error says it is not implemented yet", () => {
    const X = torch.tensor([[1, 2], [3, 4]]);
    const fig = poolingComparisonFigure(X, { max: X, softmax: new Error("not implemented yet") }, "en");
    const notes = (fig.layout.annotations as { text: string }[]).map((a) => a.text);
    expect(notes).toEqual(["input", "max", "softmax<br>(not implemented yet)"]);
  });
});
