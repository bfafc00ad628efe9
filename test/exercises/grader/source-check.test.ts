/**
 * The source check used by max-via-relu (src/grader/spec/harness.ts): words in comments and
 * strings do not count, helpers the function calls do, helpers it does not call do not.
 */
import { describe, expect, it } from "vitest";
import { functionBody, stripCommentsAndStrings, topLevelFunctions } from "../../../src/grader/spec/harness";

describe("source check helpers", () => {
  it("blanks comments, strings and template literals", () => {
    const src = 'const a = "max(" + `x.maximum(${1})`; // Math.max\n/* .where( */ let b = \'.gt(\';\nreturn a;';
    const s = stripCommentsAndStrings(src);
    expect(s).not.toMatch(/max|where|gt/);
    expect(s).toContain("return a;");
  });

  it("finds a function's body by balancing braces, for declarations and arrow functions", () => {
    const src = stripCommentsAndStrings(
      [
        "export function f(a: { x: number }, b = () => { return 1; }): number {",
        "  if (a.x) { return g(a.x); }",
        "  return 0;",
        "}",
        "const g = (v: number): number => { return Math.max(v, 0); };",
      ].join("\n"),
    );
    expect(functionBody(src, "f")).toBe("{\n  if (a.x) { return g(a.x); }\n  return 0;\n}");
    expect(functionBody(src, "g")).toBe("{ return Math.max(v, 0); }");
    expect(functionBody(src, "missing")).toBeNull();
  });
});

describe("topLevelFunctions", () => {
  it("lists exported and local functions and arrow constants", () => {
    const src = stripCommentsAndStrings(
      "export function a() { return b(); }\nfunction b() { return 1; }\nexport const c = (x: number) => { return x; };\nconst d: number = 3;\n",
    );
    expect([...topLevelFunctions(src).keys()]).toEqual(["a", "b", "c"]);
  });
});
