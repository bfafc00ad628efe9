import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import { torch } from "../../src/index";
import { costFigure, edgeShiftFigure, figureHtml, poolingComparisonFigure, resendBundle, slidingWindowFigure } from "../../src/plot";

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
    const html = figureHtml(costFigure([{ ops: 1, ms: 1, label: "</script><b>x" }], "en"), { bundle: "never" });
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

  it("the edge example: a one-pixel shift changes most conv outputs but few pooled ones", () => {
    // Worked by hand: conv columns 0,1,4,5 of 7 change (3/7 unchanged); pooled only column 1 of 6 changes (5/6).
    const { unchangedConv, unchangedPooled } = edgeShiftFigure("en");
    expect(unchangedConv).toBeCloseTo(3 / 7, 12);
    expect(unchangedPooled).toBeCloseTo(5 / 6, 12);
  });

  it("a comparison panel whose result is an Error says it is not implemented yet", () => {
    const X = torch.tensor([[1, 2], [3, 4]]);
    const fig = poolingComparisonFigure(X, { max: X, softmax: new Error("not implemented yet") }, "en");
    const notes = (fig.layout.annotations as { text: string }[]).map((a) => a.text);
    expect(notes).toEqual(["input", "max", "softmax<br>(not implemented yet)"]);
  });
});
