/**
 * A part's random cases have a time limit (src/grader/spec/harness.ts `property`). A slow answer must
 * not turn that limit into a pass with a handful of cases: an answer that was wrong only on rarer
 * inputs and slowed down on the random ones passed its random part after 3 of 30 cases (found by a
 * hostile review). Fewer than 10 runs in the limit now fail the part, saying why.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { property } from "../../../src/grader/spec/harness";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("random cases cut short by the time limit", () => {
  it("fewer than 10 runs in the limit fail the part, with the count and the reason", async () => {
    let runs = 0;
    const slow = property(fc.integer(), async () => {
      runs++;
      await sleep(120);
    }, { seed: 1, timeLimitMs: 500 });
    await expect(slow).rejects.toThrow(/only \d of 30 random cases ran in 0\.5 s \(at least 10 must\): your function is too slow/);
    expect(runs).toBeLessThan(10);
  });

  it("a fast answer runs every case and passes", async () => {
    let runs = 0;
    await property(fc.integer(), async () => {
      runs++;
    }, { seed: 1, timeLimitMs: 60_000 });
    expect(runs).toBe(30);
  });

  it("a failure found before the limit is still reported as the failure", async () => {
    const wrong = property(fc.integer({ min: 0, max: 10 }), async (n) => {
      if (n > 5) throw new Error(`wrong on ${n}`);
    }, { seed: 1, timeLimitMs: 60_000 });
    await expect(wrong).rejects.toThrow(/wrong on/);
  });
});
