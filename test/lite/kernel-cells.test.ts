/**
 * The browser kernel's cells (lite/src/kernel/cell.ts + session.ts) behave as tslab's do for what
 * the notebooks use. Each case is worked by hand from tslab's rules: a later cell may declare a name
 * again, names are shared between cells, `let` names can be assigned later, top-level await works,
 * and the last expression statement is the cell's value.
 */
import { describe, expect, test } from "vitest";
import * as ts from "typescript";
import { compileCell } from "../../lite/src/kernel/cell";
import { Session } from "../../lite/src/kernel/session";

const modules: Record<string, unknown> = {
  lib: { __esModule: true, answer: 42, twice: (x: number) => 2 * x, default: "the default" },
  plain: { value: "commonjs" },
};

function notebook() {
  const loaded: string[] = [];
  const session = new Session((name) => {
    loaded.push(name);
    if (!(name in modules)) throw new Error(`Cannot find module '${name}'`);
    return modules[name];
  });
  const run = async (source: string) => {
    const cell = compileCell(ts, source);
    if (!cell.ok) throw new Error(`syntax: ${cell.problems.map((p) => `${p.line}:${p.column} ${p.message}`).join("; ")}`);
    return session.run(cell);
  };
  return { run, loaded };
}

describe("browser kernel cells", () => {
  test("the last expression is the cell's value; a statement gives none", async () => {
    const { run } = notebook();
    expect(await run("1 + 2")).toEqual({ value: 3, hasResult: true });
    expect(await run("const a = 1;")).toEqual({ value: undefined, hasResult: false });
    expect(await run("const b = 2;\nb * 10")).toEqual({ value: 20, hasResult: true });
    expect(await run("if (true) { 5 }")).toEqual({ value: undefined, hasResult: false });
  });

  test("types are stripped, not checked", async () => {
    const { run } = notebook();
    await run("function f(x: number, y?: string): [number, string] { return [x, y ?? 'none']; }\ninterface P { a: number }\ntype Q = P | null;");
    expect((await run("f(1) as unknown as [number, string]")).value).toEqual([1, "none"]);
  });

  test("names from earlier cells are visible, and a later cell may declare them again", async () => {
    const { run } = notebook();
    await run("const X = 1;");
    expect((await run("X + 1")).value).toBe(2);
    await run("let X = 10;"); // tslab allows const X then let X in a later cell
    expect((await run("X")).value).toBe(10);
    await run("X = 11;");
    expect((await run("X")).value).toBe(11);
    await run("const X = 'again';");
    expect((await run("X")).value).toBe("again");
  });

  test("a function from an earlier cell sees later assignments to a let (one binding, shared)", async () => {
    const { run } = notebook();
    await run("let count = 0;\nfunction bump() { count += 1; return count; }");
    await run("bump(); bump();");
    expect((await run("count")).value).toBe(2);
    await run("count = 10;");
    expect((await run("bump()")).value).toBe(11);
  });

  test("assigning to a const from a later cell fails as in JavaScript", async () => {
    const { run } = notebook();
    await run("const c = 1;");
    await expect(run("c = 2;")).rejects.toThrow(TypeError);
    expect((await run("c")).value).toBe(1);
  });

  test("destructuring, classes and functions declare names", async () => {
    const { run } = notebook();
    await run("const { p, q: [r, , s] } = { p: 1, q: [2, 3, 4] };\nclass K { v = 7 }\nfunction g() { return p + r + s; }");
    expect((await run("[p, r, s, new K().v, g()]")).value).toEqual([1, 2, 4, 7, 7]);
  });

  test("top-level await", async () => {
    const { run } = notebook();
    await run("const later = await new Promise<number>((resolve) => setTimeout(() => resolve(5), 1));");
    expect((await run("await Promise.resolve(later * 2)")).value).toBe(10);
  });

  test("imports: named, renamed, namespace, default (esModuleInterop), side effect, type-only dropped", async () => {
    const { run, loaded } = notebook();
    await run('import { answer, twice as double } from "lib";\nimport * as all from "lib";\nimport d from "lib";\nimport p from "plain";\nimport type { Nothing } from "nowhere";\nimport "lib";');
    expect((await run("[answer, double(3), all.answer, d, p]")).value).toEqual([42, 6, 42, "the default", { value: "commonjs" }]);
    expect(loaded).not.toContain("nowhere");
  });

  test("require is there as in Node (the explore notebook loads exercises with it)", async () => {
    const { run } = notebook();
    expect((await run('require("lib").answer')).value).toBe(42);
  });

  test("a failing cell keeps the names set before the failure; its later names keep their old values", async () => {
    const { run } = notebook();
    await run("let z = 'old';");
    await expect(run("const y = 1;\nthrow new Error('boom');\nlet z = 'new';")).rejects.toThrow("boom");
    expect((await run("[y, z]")).value).toEqual([1, "old"]);
  });

  test("a syntax error is reported at the student's line, even after a multi-line import", () => {
    const cell = compileCell(ts, 'import {\n  a,\n  b,\n} from "lib";\nconst x = ;');
    expect(cell.ok).toBe(false);
    if (!cell.ok) expect(cell.problems[0]).toMatchObject({ line: 5, column: 11, message: "Expression expected." });
  });

  test("scope names do not come from Object.prototype", async () => {
    const { run } = notebook();
    expect((await run("typeof toString")).value).toBe("function"); // the global one, as in Node
    expect((await run("typeof hasOwnProperty")).value).toBe("function");
    await run("const constructor = 3;");
    expect((await run("constructor")).value).toBe(3);
  });
});

test("a syntax error in the last expression is placed where the student wrote it", () => {
  // "a +* 2": after "+" an expression is expected, and "*" (line 2, column 4) is not one.
  const cell = compileCell(ts, "const a = 1;\na +* 2");
  expect(cell.ok).toBe(false);
  if (!cell.ok) expect(cell.problems[0]).toMatchObject({ line: 2, column: 4, message: "Expression expected." });
});
