/**
 * The browser kernel's stand-ins for Node modules (lite/src/shims/) against Node's own: the grader's
 * sha256 keys must be Node's (a recorded expected value is found by them), and a part's context must
 * follow the part through its awaits as AsyncLocalStorage's does.
 */
import { describe, expect, test } from "vitest";
import * as nodeCrypto from "node:crypto";
import { AsyncLocalStorage as NodeStorage } from "node:async_hooks";
import { createHash } from "../../lite/src/shims/crypto";
import { AsyncLocalStorage } from "../../lite/src/shims/async-hooks";
import { addFile, existsSync, readFileSync } from "../../lite/src/shims/fs";

describe("browser kernel shims", () => {
  test("sha256 hex digests equal node:crypto's (ASCII, CJK, empty, several updates)", () => {
    for (const parts of [["[1,2,3]"], ["汇聚层", " pooling"], [""], ['{"t":"tensor"}', "x".repeat(5000)]]) {
      const ours = parts.reduce((h, p) => h.update(p), createHash("sha256")).digest("hex");
      const node = parts.reduce((h, p) => h.update(p), nodeCrypto.createHash("sha256")).digest("hex");
      expect(ours).toBe(node);
    }
    expect(() => createHash("md5")).toThrow(/sha256 only/);
  });

  test("AsyncLocalStorage: the store follows a run through its awaits, and is put back after", async () => {
    for (const Storage of [AsyncLocalStorage, NodeStorage]) {
      const storage = new Storage<string>();
      const seen: (string | undefined)[] = [];
      await storage.run("part A", async () => {
        seen.push(storage.getStore());
        await new Promise((r) => setTimeout(r, 1));
        seen.push(storage.getStore());
      });
      seen.push(storage.getStore());
      expect(() => storage.run("part B", () => { throw new Error("boom"); })).toThrow("boom");
      seen.push(storage.getStore());
      expect(seen).toEqual(["part A", "part A", undefined, undefined]);
    }
  });

  test("fs: files added by the worker are read back as bytes or text; others are ENOENT", () => {
    addFile("/d2l-pooling/x.json", new TextEncoder().encode('{"a":1}'));
    expect(existsSync("/d2l-pooling/x.json")).toBe(true);
    expect(readFileSync("/d2l-pooling/x.json", "utf8")).toBe('{"a":1}');
    expect(readFileSync("/d2l-pooling/x.json")).toBeInstanceOf(Uint8Array);
    expect(() => readFileSync("/nope")).toThrow(/ENOENT/);
  });
});
