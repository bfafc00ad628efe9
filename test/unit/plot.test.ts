import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import { torch } from "../../src/index";
import {
  adaptiveWindowFigure, edgeShiftFigure, figureHtml, gradientFigure, poolingComparisonFigure, resendBundle,
  shiftFramesFigure, slidingWindowFigure, softmaxBetaFigure, timingFigure,
} from "../../src/plot";
import { PADDING, SCALES } from "../../src/plot/heatmap";
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
    const html = figureHtml(timingFigure([2, 3], [{ name: "</script><b>x", ns: [1, 2] }], "en"), { bundle: "never" });
    expect(html.match(/<\/script>/g)).toHaveLength(1);
  });
});

/** A colour that reads as "no cell here": near white, or a light grey. */
function readsAsEmpty(hex: string): boolean {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [max, min] = [Math.max(r, g, b), Math.min(r, g, b)];
  const lightness = (max + min) / 2;
  const saturation = max === min ? 0 : (max - min) / (1 - Math.abs(2 * lightness - 1));
  return lightness > 0.93 || (saturation < 0.15 && lightness > 0.7);
}

describe("figure colours", () => {
  it("the check itself: white and plotly's grey read as empty, lilac and salmon do not", () => {
    expect(readsAsEmpty("#ffffff")).toBe(true);
    expect(readsAsEmpty("#dcdcdc")).toBe(true); // rgb(220,220,220), the low end of plotly's "Reds"
    expect(readsAsEmpty(PADDING.read)).toBe(false);
    expect(readsAsEmpty("#fcbba1")).toBe(false);
  });

  it("no scale draws a value in a colour that reads as empty, and no figure uses plotly's grey-ended scales", () => {
    for (const scale of [SCALES.input, SCALES.output, SCALES.image]) for (const [, colour] of scale) expect(readsAsEmpty(colour), colour).toBe(false);
    const X = torch.arange(16, { dtype: "float32" }).reshape(4, 4);
    const figures = [
      slidingWindowFigure(X, 3, { padding: 1, stride: 2 }),
      slidingWindowFigure(X, 2, { stride: 1, still: 0 }),
      adaptiveWindowFigure(X, 3),
      gradientFigure(X, 2, { mode: "avg", stride: 1 }),
      edgeShiftFigure("en").figure,
      shiftFramesFigure({ X: X.reshape(1, 1, 4, 4) }, { max: (Y) => F.maxPool2d(Y, 2) }, { width: 2, shifts: 2 }),
      poolingComparisonFigure(X, { max: F.maxPool2d(X.reshape(1, 1, 4, 4), 2) }),
    ];
    for (const fig of figures) {
      const traces = [...fig.data, ...((fig.frames ?? []) as { data: object[] }[]).flatMap((f) => f.data)] as { type?: string; colorscale?: unknown }[];
      for (const t of traces.filter((d) => d.colorscale !== undefined)) {
        expect(["Blues", "Reds", "Greys"], fig.title).not.toContain(t.colorscale);
        if (Array.isArray(t.colorscale)) expect(readsAsEmpty(t.colorscale[0][1]), `${fig.title}: ${t.colorscale[0][1]}`).toBe(false);
      }
    }
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
    type Shape = { layer?: string; fillcolor?: string; x0: number; y0: number };
    const pale = (shapes: Shape[]) => shapes.filter((s) => s.fillcolor === PADDING.unread).map((s) => [s.y0 + 0.5, s.x0 + 0.5]);
    const expected = [-1, 0, 1, 2, 3, 4].flatMap((i) => (i === 4 ? [[4, 4]] : [[4, i], [i, 4]]));
    const sortCells = (cells: number[][]) => [...cells].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(sortCells(pale(fig.layout.shapes as Shape[]))).toEqual(sortCells(expected));
    for (const frame of fig.frames as { layout: { shapes: Shape[] } }[]) expect(pale(frame.layout.shapes)).toHaveLength(11);
    expect((fig.layout.annotations as { text: string }[])[0].text).toContain("paler: padding no window reaches");
    // The padding that is read is lilac too (36 − 16 − 11 = 9 cells), a different colour from the white
    // of an output not computed yet; the four output slots are outlined, unfilled.
    const shapes = fig.layout.shapes as (Shape & { xref: string })[];
    expect(shapes.filter((s) => s.fillcolor === PADDING.read)).toHaveLength(9);
    expect(fig.layout.plot_bgcolor).toBe("#ffffff");
    expect(PADDING.read).not.toBe(PADDING.unread);
    expect(shapes.filter((s) => s.xref === "x2" && s.layer === "below")).toHaveLength(4);
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
    expect((fig.layout.shapes as { layer?: string }[]).filter((s) => s.layer !== "below")[0]).toMatchObject({ xref: "x", x0: -0.5, x1: 1.5, y0: -0.5, y1: 1.5 });
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
    // Four cells outlined on the input, one on the output (the slots' dotted outlines lie below).
    expect(frames[0].layout.shapes.filter((s) => (s as { layer?: string }).layer !== "below")).toHaveLength(4 + 1);
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
    const frames = fig.frames as { data: [{ z: (number | null)[][] }]; layout: { shapes: { x0: number; x1: number; layer?: string }[] } }[];
    expect(frames[8].data[0].z).toEqual([[6, 8, 9], [16, 18, 19], [21, 23, 24]]);
    // The middle window spans columns 1..3: its outline runs from 0.5 to 3.5.
    const [outline] = frames[4].layout.shapes.filter((s) => s.layer !== "below");
    expect([outline.x0, outline.x1]).toEqual([0.5, 3.5]);
  });

  it("where the gradient goes: the last frame is the whole backward pass", () => {
    // 0…15 in a 4×4 grid, 2×2 windows with stride 1: every window's max is its bottom-right cell,
    // so those nine cells get 1 each; the average gives each cell 1/4 per window that covers it.
    const X = torch.arange(16, { dtype: "float32" }).reshape(4, 4);
    const last = (mode: "max" | "avg") => {
      const fig = gradientFigure(X, 2, { mode, stride: 1, lang: "en" });
      const frames = fig.frames as { data: [{ z: number[][] }] }[];
      expect(frames).toHaveLength(9);
      return frames[8].data[0].z;
    };
    expect(last("max")).toEqual([[0, 0, 0, 0], [0, 1, 1, 1], [0, 1, 1, 1], [0, 1, 1, 1]]);
    expect(last("avg")).toEqual([[0.25, 0.5, 0.5, 0.25], [0.5, 1, 1, 0.5], [0.5, 1, 1, 0.5], [0.25, 0.5, 0.5, 0.25]]);
  });

  it("where the gradient goes: outlines only, nothing drawn over the input's values", () => {
    const X = torch.arange(16, { dtype: "float32" }).reshape(4, 4);
    type Shape = { line: { color: string }; fillcolor: string; x0: number; y0: number };
    for (const mode of ["max", "avg"] as const) {
      const fig = gradientFigure(X, 2, { mode, stride: 1, lang: "en" });
      // Two heatmaps (input, gradient) and no marker or text trace that could cover a value.
      expect(fig.data.map((d) => (d as { type: string }).type)).toEqual(["heatmap", "heatmap"]);
      const shapes = (fig.frames as { layout: { shapes: Shape[] } }[])[4].layout.shapes;
      if (mode === "max") {
        // Window 4 covers rows 1–2, columns 1–2; its max, 10, sits at h = 2, w = 2: framed in green.
        expect(shapes.map((s) => s.line.color)).toEqual(["#d62728", "#2ca02c"]);
        expect([shapes[1].y0 + 0.5, shapes[1].x0 + 0.5]).toEqual([2, 2]);
      } else {
        expect(shapes).toHaveLength(1);
        expect(shapes[0].fillcolor).not.toBe("rgba(0,0,0,0)");
      }
      expect((fig.layout.title as { text: string }).text).toContain(mode === "max" ? "(+1)" : "1/4 ≈ 0.25");
    }
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
    // Input and pooled panels of one input share the input's colour range.
    const half = shiftFramesFigure({ line }, { avg: (X) => F.avgPool2d(X, 2) }, { width: 8, shifts: 2, lang: "en" });
    expect((half.data as { zmin: number; zmax: number }[]).map((d) => [d.zmin, d.zmax])).toEqual([[0, 1], [0, 1]]);
  });

  it("the timing figure: one line per implementation on a log axis, no labels on the points", () => {
    const fig = timingFigure([2, 21], [{ name: "loop", ns: [30, 900] }, { name: "kernel", ns: [2.5, 7] }], "en");
    expect(fig.data.map((d) => (d as { name: string; mode: string }).mode)).toEqual(["lines+markers", "lines+markers"]);
    expect((fig.layout.yaxis as { type: string }).type).toBe("log");
    expect(() => timingFigure([2, 21], [{ name: "loop", ns: [30] }], "en")).toThrow('"loop" has 1 times for 2 window sizes');
    expect(() => timingFigure([2, 21], [{ name: "loop", ns: [30, NaN] }], "en")).toThrow('"loop" at k=21 is NaN');
  });

  it("the β slider: one frame per β; an exercise that is not done yet says so", () => {
    const x = torch.tensor([[1, 2], [3, 4]]);
    const ends = { max: torch.tensor([[4]]), avg: torch.tensor([[2.5]]) };
    const fig = softmaxBetaFigure(x, [{ beta: 0, output: torch.tensor([[2.5]]) }, { beta: 8, output: torch.tensor([[3.9]]) }], ends, "en");
    expect((fig.frames as { name: string }[]).map((f) => f.name)).toEqual(["0", "8"]);
    const missing = softmaxBetaFigure(x, [{ beta: 1, output: new Error("not implemented yet") }], ends, "en");
    expect(missing.frames).toBeUndefined();
    expect((missing.layout.annotations as { text: string }[]).map((a) => a.text)).toContain("not<br>implemented<br>yet");
    // The missing panel has no axes (no stray ticks); the others keep theirs.
    expect((missing.layout.xaxis3 as { visible?: boolean }).visible).toBe(false);
    expect((missing.layout.xaxis2 as { visible?: boolean }).visible).toBeUndefined();
  });

  it("a comparison panel whose result is an Error says it is not implemented yet", () => {
    const X = torch.tensor([[1, 2], [3, 4]]);
    const fig = poolingComparisonFigure(X, { max: torch.tensor([[4]]), softmax: new Error("not implemented yet") }, "en");
    const notes = (fig.layout.annotations as { text: string }[]).map((a) => a.text);
    expect(notes).toEqual(["input", "max", "softmax", "not<br>implemented<br>yet"]);
    // One shared colour bar, carried by the last panel that is drawn (max), not the missing one.
    expect((fig.data as { showscale?: boolean }[]).map((d) => d.showscale)).toEqual([false, true, false]);
    expect(fig.layout.yaxis3).toEqual({ anchor: "x3", visible: false });
    // Every drawn panel on the input's range, 1 … 4, so the max's 4 has the input's 4's colour.
    const drawn = (fig.data as { z: unknown[][]; zmin?: number; zmax?: number }[]).filter((d) => d.z[0][0] !== null);
    expect(drawn.map((d) => [d.zmin, d.zmax])).toEqual([[1, 4], [1, 4]]);
  });
});
