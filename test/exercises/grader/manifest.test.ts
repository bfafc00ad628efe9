/**
 * The manifest (src/grader/manifest.ts) is the one place points live: check that it, the stubs, the
 * solutions and the specs agree, so no part is ungraded, unreachable or graded twice.
 */
import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { EXERCISES, maxScore } from "../../../src/grader/manifest";
import { projectRoot, specFiles } from "../../../src/grader/paths";

const root = projectRoot();
const read = (p: string) => fs.readFileSync(p, "utf8");

describe("manifest", () => {
  it("declares 100 visible points (and some hidden ones) over eight exercises with unique keys", () => {
    expect(EXERCISES.map((e) => e.id)).toHaveLength(8);
    expect(EXERCISES.reduce((s, e) => s + maxScore(e, false), 0)).toBe(100);
    expect(EXERCISES.reduce((s, e) => s + maxScore(e, true), 0)).toBe(114);
    for (const e of EXERCISES) {
      const keys = e.parts.map((p) => p.key);
      expect(new Set(keys).size, e.id).toBe(keys.length);
      for (const p of e.parts) expect(Number.isInteger(p.points) && p.points >= 0, `${e.id}/${p.key}`).toBe(true);
      expect(e.parts.filter((p) => p.hidden).every((p) => p.key.startsWith("hidden-")), e.id).toBe(true);
    }
  });

  it("numbers the exercises as d2l-zh (1–6) and d2l-en (1–7) do", () => {
    expect(EXERCISES.map((e) => e.zh).filter((n) => n !== null)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(EXERCISES.map((e) => e.en).filter((n) => n !== null).sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

describe.each(EXERCISES.map((e) => [e.id, e] as const))("%s", (id, e) => {
  const stubFile = path.join(root, "exercises", `${id}.ts`);
  const solutionFile = path.join(root, "solutions", `${id}.ts`);

  it("has a stub, a solution and a spec; stub and solution export exactly the declared names", async () => {
    expect(fs.existsSync(stubFile)).toBe(true);
    expect(fs.existsSync(solutionFile)).toBe(true);
    expect(fs.existsSync(specFiles(id).visible)).toBe(true);
    const stub = (await import(stubFile)) as Record<string, unknown>;
    const solution = (await import(solutionFile)) as Record<string, unknown>;
    expect(Object.keys(stub).sort()).toEqual([...e.exports].sort());
    expect(Object.keys(solution).sort()).toEqual([...e.exports].sort());
  });

  it("stub functions throw 'not implemented yet'; stub answers are empty", async () => {
    const stub = (await import(stubFile)) as Record<string, unknown>;
    for (const name of e.exports) {
      const v = stub[name];
      if (typeof v === "function") expect(() => (v as () => unknown)(), name).toThrow(/not implemented yet/);
      else expect(v === "" || v === null, name).toBe(true);
    }
  });

  it("stub documents every function in Chinese and English, with an example", () => {
    const src = read(stubFile);
    const functions = (src.match(/^export function /gm) ?? []).length;
    expect((src.match(/@example/g) ?? []).length).toBeGreaterThanOrEqual(functions);
    expect(src).toMatch(/[\u4e00-\u9fff]/);
    for (const m of src.matchAll(/\/\*\*([\s\S]*?)\*\/\s*export (?:function|const) (\w+)/g)) {
      expect(m[1], `${m[2]}: Chinese`).toMatch(/[\u4e00-\u9fff]/);
      expect((m[1].match(/\b[A-Za-z]{3,}\b/g) ?? []).length, `${m[2]}: English words`).toBeGreaterThanOrEqual(8);
    }
  });

  it("every part has exactly one test, in the visible spec or (hidden parts) in test/exercises/hidden/", () => {
    const { visible, hidden } = specFiles(id);
    const keysIn = (file: string) => (fs.existsSync(file) ? [...read(file).matchAll(/part\("([\w-]+)"/g)].map((m) => m[1]) : []);
    const v = keysIn(visible);
    const h = keysIn(hidden);
    expect(v.sort()).toEqual(e.parts.filter((p) => !p.hidden).map((p) => p.key).sort());
    expect(h.sort()).toEqual(e.parts.filter((p) => p.hidden).map((p) => p.key).sort());
  });
});
