/**
 * src/pooling/fast/choose.ts: one thread or all, chosen per kind of job from the times of its
 * recent calls both ways (hand-worked sequences; no clock involved).
 */
import { describe, expect, it } from "vitest";
import { Way, chooseWay, record, wayTimes } from "../../src/pooling/fast/choose";

/** Run `calls` calls of `kind`, each taking `ms(way)`; the ways taken, in order. */
function run(kind: string, calls: number, ms: (way: Way, i: number) => number): Way[] {
  const ways: Way[] = [];
  for (let i = 0; i < calls; i++) {
    const way = chooseWay(kind);
    record(kind, way, ms(way, i));
    ways.push(way);
  }
  return ways;
}

describe("choosing one thread or all", () => {
  it("tries both ways first, then keeps the faster and tries the other every 8th call", () => {
    const ways = run("quiet machine", 24, (way) => (way === "all" ? 1 : 2));
    expect(ways.slice(0, 2)).toEqual(["all", "one"]);
    const explored = ways.map((w, i) => (w === "one" ? i + 1 : 0)).filter(Boolean);
    expect(explored).toEqual([2, 8, 16, 24]); // call 2, then every 8th
  });
  it("moves to one thread when the workers get slow, and back when the machine is quiet again", () => {
    const kind = "busy then quiet";
    run(kind, 10, (way) => (way === "all" ? 1 : 2));
    const busy = run(kind, 24, (way) => (way === "all" ? 4 : 2)); // another process has the cores
    expect(busy.slice(-8).filter((w) => w === "one").length).toBeGreaterThanOrEqual(7);
    const quiet = run(kind, 32, (way) => (way === "all" ? 1 : 2));
    expect(quiet.slice(-8).filter((w) => w === "all").length).toBeGreaterThanOrEqual(7);
    const t = wayTimes(kind)!;
    expect(t.all).toBeLessThan(t.one);
  });
  it("keeps the kinds apart", () => {
    run("kind a", 12, (way) => (way === "all" ? 1 : 2));
    run("kind b", 12, (way) => (way === "all" ? 2 : 1));
    expect(wayTimes("kind a")!.all).toBeLessThan(wayTimes("kind a")!.one);
    expect(wayTimes("kind b")!.one).toBeLessThan(wayTimes("kind b")!.all);
  });
});
