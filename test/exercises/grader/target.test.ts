/**
 * The door to graded modules (src/grader/target.ts): loading never throws; failures carry what a
 * student needs (the message, the line); arguments and results are copies.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as lib from "d2l-pooling";
import { torch, Tensor } from "d2l-pooling";
import { loadTarget, TargetError } from "../../../src/grader/target";

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-grader-target-"));
  fs.writeFileSync(
    path.join(dir, "good.ts"),
    [
      "export function mutate(t: { data: Float32Array }, u?: { data: Float32Array }): number { (u ?? t).data[0] = 99; return 0; }",
      "export function same(t: unknown): unknown { return t; }",
      "export function stub(): number {",
      '  throw new Error("stub: not implemented yet — 尚未实现");',
      "}",
      "export function broken(x: number): number {",
      "  const y = x * 2;",
      '  throw new RangeError("bad " + y);',
      "}",
      "export function fn(): unknown { return () => 1; }",
      "export async function later(x: number): Promise<number> { return x + 1; }",
      'export const ANSWER = "forty-two";',
      "export const NOT_A_FUNCTION = 3;",
    ].join("\n"),
  );
  fs.writeFileSync(path.join(dir, "syntax.ts"), "export function f( {\n");
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(TargetError);
    return (e as TargetError).failure;
  }
  throw new Error("expected a TargetError");
}

describe("loadTarget", () => {
  it("calls exported functions with copies, and reports a function that changes the tensor it was given", async () => {
    const t = await loadTarget("good", lib, { dir });
    const X = torch.tensor([1, 2]);
    const changed = await failure(t.call("mutate", X));
    expect(changed).toMatchObject({ kind: "mutated", argument: 0 });
    expect(changed.message.en).toBe("element 0 (in flat order) is now 99; a function must not modify its inputs — work on a copy (X.clone())");
    expect(X.data[0]).toBe(1);
    expect(await failure(t.call("mutate", 5, X))).toMatchObject({ kind: "mutated", argument: 1 });
    const back = (await t.call("same", X)) as Tensor;
    expect(back).toBeInstanceOf(Tensor);
    expect(back).not.toBe(X);
    expect(await t.call("later", 1)).toBe(2);
    expect(await t.get("ANSWER")).toBe("forty-two");
  });

  it("reports a stub's 'not implemented yet', and where a function threw", async () => {
    const t = await loadTarget("good", lib, { dir });
    const stub = await failure(t.call("stub"));
    expect(stub).toMatchObject({ kind: "threw", notImplemented: true });
    const broken = await failure(t.call("broken", 2));
    expect(broken.kind).toBe("threw");
    expect(broken.message).toEqual({ zh: "RangeError: bad 4", en: "RangeError: bad 4" }); // the code's own words, the same in both
    expect(broken.notImplemented).toBe(false);
    expect(broken.location).toMatch(/good\.ts:8:\d+$/);
  });

  it("missing exports, non-functions and unreadable results fail with a message", async () => {
    const t = await loadTarget("good", lib, { dir });
    expect((await failure(t.call("nope"))).message.en).toMatch(/does not export 'nope'/);
    expect((await failure(t.call("NOT_A_FUNCTION"))).message.en).toMatch(/should be a function, but it is number/);
    const f = await failure(t.call("fn"));
    expect(f.kind).toBe("codec");
    expect(f.message.en).toMatch(/fn returned something the grader cannot read: fn returned: a function cannot be passed/);
  });

  it("never throws on load: a missing file or a syntax error fails every call instead", async () => {
    const missing = await loadTarget("absent", lib, { dir });
    expect((await failure(missing.call("f"))).kind).toBe("missing-file");
    const syntax = await loadTarget("syntax", lib, { dir });
    const f = await failure(syntax.call("f"));
    expect(f.kind).toBe("load");
    expect(f.message.en).toMatch(/syntax\.ts could not be loaded/);
  });
});
