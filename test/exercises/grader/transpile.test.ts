/**
 * The one TypeScript → CommonJS path (src/live/transpile.ts), shared by the notebooks' live exercise
 * loader and the grader's sandbox: positions of syntax errors, runnable output, a source map.
 */
import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { syntaxErrorLines, transpile } from "../../../src/live/transpile";
import { requireTypeScript } from "../../../src/live/exercises";
import { compile } from "../../../src/grader/sandbox/prepare";

describe("transpile", () => {
  it("strips types and gives CommonJS that runs, with a source map of the file", () => {
    const out = transpile("export const f = (x: number): number => x * 2;\n", "m.ts");
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const mod = { exports: {} as Record<string, unknown> };
    new Function("exports", "module", out.code)(mod.exports, mod);
    expect((mod.exports.f as (x: number) => number)(21)).toBe(42);
    expect(JSON.parse(out.map).sources).toEqual(["m.ts"]);
    expect(out.code).not.toMatch(/sourceMappingURL/);
  });

  it("reports syntax errors with 1-based line and column, in one format for the notebook and the grader", () => {
    const out = transpile("const a = 1;\nexport function f( {\n", "min-pool.ts");
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(syntaxErrorLines("exercises/min-pool.ts", out.errors)[0]).toMatch(/^exercises\/min-pool\.ts:3:1: '\}' expected\.$/);
    expect(compile("const a = 1;\nexport function f( {\n", "min-pool")).toEqual({ error: expect.stringMatching(/^syntax error: min-pool\.ts:3:1: '\}' expected\./) });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-transpile-"));
    try {
      fs.writeFileSync(path.join(dir, "bad.ts"), "export function f( {\n");
      expect(() => requireTypeScript(path.join(dir, "bad.ts"))).toThrow(/Your file has a syntax error; fix it, save, and restart the kernel:\n.*bad\.ts:2:1: '\}' expected\./);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
