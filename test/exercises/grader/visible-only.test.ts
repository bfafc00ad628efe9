/**
 * Hidden stays hidden in what a student sees at once. On Gradescope the top-level `output` of
 * results.json is shown as soon as the autograder ends; hidden parts (`after_published`) only when
 * the grades are published. A submission that fails a hidden part on purpose (only for the hidden
 * test's input) learned that it did from the top-level output ("16/18 partial — 1 hidden test
 * failed"), a bit per submission about the hidden inputs (found by a hostile review). The output is
 * now the visible parts only. Scoring is a pure function over records, so this is worked by hand.
 */
import { describe, expect, it } from "vitest";
import { EXERCISES, maxScore } from "../../../src/grader/manifest";
import type { PartRecord } from "../../../src/grader/records";
import { toGradescope } from "../../../src/grader/results";
import { recordKey, scoreSubmission, visibleOnly } from "../../../src/grader/scoring";

const relu = EXERCISES.find((e) => e.id === "max-via-relu")!;
const hiddenPart = relu.parts.find((p) => p.hidden)!;

/** Every part of every exercise passed, except max-via-relu's hidden part. */
function report() {
  const records = new Map<string, PartRecord>();
  for (const e of EXERCISES) {
    for (const p of e.parts) {
      const failed = e.id === relu.id && p.key === hiddenPart.key;
      records.set(recordKey(e.id, p.key), {
        exercise: e.id,
        part: p.key,
        state: failed ? "failed" : "passed",
        failure: failed ? { message: { zh: "maxPool2x2ViaRelu(<隐藏输入：float64，7×5>)：数值不对", en: "maxPool2x2ViaRelu(<the hidden input: float64, 7×5>): wrong values" }, cause: "check", notStarted: false, budgetUsedUp: false } : null,
        answers: [],
      });
    }
  }
  return scoreSubmission({ target: "students/x", hidden: true, exercises: EXERCISES, records, unreported: { zh: "", en: "" }, runWarnings: [], notes: [], budgetSeconds: 300, executionTime: 1, seed: 7 });
}

describe("what a student sees before the grades are published", () => {
  it("the instructor's report counts the hidden part (and says it failed)", () => {
    const r = report();
    const e = r.exercises.find((x) => x.id === relu.id)!;
    expect([e.score, e.max, e.status]).toEqual([maxScore(relu, true) - hiddenPart.points, maxScore(relu, true), "partial"]);
    expect(e.feedback.en).toMatch(/1 hidden test failed/);
    expect(e.feedback.zh).toMatch(/1 个隐藏测试没有通过/);
    expect(r.score).toBe(r.max - hiddenPart.points);
  });

  it("visibleOnly: visible parts only — full marks, passed, no word of the hidden part", () => {
    const v = visibleOnly(report());
    const e = v.exercises.find((x) => x.id === relu.id)!;
    expect([e.score, e.max, e.status, e.feedback]).toEqual([maxScore(relu, false), maxScore(relu, false), "passed", { zh: "", en: "" }]);
    expect(e.parts.some((p) => p.hidden)).toBe(false);
    expect([v.score, v.max]).toEqual([100, 100]);
  });

  it("results.json: the top-level output is the visible table; the hidden part is an after_published test", () => {
    const g = toGradescope(report());
    expect(g.output).not.toMatch(/hidden test failed|16\/18|partial|7×5/);
    expect(g.output).toMatch(/Exercise 3\s+max-via-relu\s+16\/16\s+passed/);
    expect(g.output).toMatch(/total\s+100\/100/);
    expect(g.output).toMatch(/visible tests only; the hidden tests are shown when the grades are published/);
    const hidden = g.tests.filter((t) => t.visibility === "after_published");
    expect(hidden.length).toBe(EXERCISES.flatMap((e) => e.parts).filter((p) => p.hidden).length);
    expect(hidden.find((t) => t.status === "failed")!.output).toMatch(/7×5/);
    expect(g.tests.filter((t) => t.visibility === "visible").every((t) => !/7×5/.test(t.output))).toBe(true);
  });
});
