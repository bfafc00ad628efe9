/**
 * torch.manualSeed + torch.rand / torch.randn against real PyTorch (CPU generator: mt19937;
 * float rand = (random() & (2^24 - 1)) * 2^-24). test/fixtures/random.json holds, for seeds 0, 1
 * and 42, what `torch.manual_seed(s); torch.rand(shape)` (or randn) gives in PyTorch 2.13 for
 * shapes (5,), (2, 3), (4, 5), (17,), (3, 16) — below and above randn's 16-element vector path.
 * Regenerate with npm run fixtures (scripts/make_fixtures.py on the pinned PyTorch).
 * rand must be identical; randn within 1e-6 (PyTorch's Box-Muller uses libm log/cos/sin).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { torch } from "../../src/index";

interface RandomCase {
  seed: number;
  fn: "rand" | "randn";
  shape: number[];
  dtype?: "float64";
  output: { shape: number[]; dtype: string; data: number[] };
}

const cases: RandomCase[] = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "random.json"), "utf8")).cases;

describe("torch.manualSeed(s); torch.rand / torch.randn reproduce PyTorch's CPU generator", () => {
  const describeCall = (c: RandomCase) =>
    `torch.manualSeed(${c.seed}); torch.${c.fn}(${c.shape.join(", ")}${c.dtype ? `, { dtype: "${c.dtype}" }` : ""})`;
  it.each(cases.map((c) => [describeCall(c), c] as const))(
    "%s",
    (_t, c) => {
      torch.manualSeed(c.seed);
      const t: any = (torch as any)[c.fn](...c.shape, ...(c.dtype ? [{ dtype: c.dtype }] : []));
      expect([...t.shape]).toEqual(c.output.shape);
      expect(t.dtype).toBe(c.dtype ?? "float32");
      const got = Array.from(t.data as ArrayLike<number>);
      if (c.fn === "rand") {
        expect(got).toEqual(c.output.data);
      } else {
        const worst = got.reduce((m, v, i) => Math.max(m, Math.abs(v - c.output.data[i])), 0);
        expect(worst, `largest difference ${worst}`).toBeLessThanOrEqual(1e-6);
      }
    },
  );
});
