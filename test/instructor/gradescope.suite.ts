/**
 * `npm run gradescope -- --out autograder.zip`, tested in a simulated /autograder layout: the zip
 * unpacked into ROOT/source, setup.sh run (with node_modules already there, as after `npm ci`), then
 * run_autograder grading ROOT/submission into ROOT/results/results.json.
 */
import { hang } from "../helpers/hang";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import AdmZip from "adm-zip";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXERCISES } from "../../src/grader/manifest";
import { dist, readResults, root, runNode, runProgram, type Run } from "./support";

let tmp: string;
let zipFile: string;
let ag: string;
let made: Run;

function submit(files: Record<string, string>): void {
  fs.rmSync(path.join(ag, "submission"), { recursive: true, force: true });
  fs.rmSync(path.join(ag, "results"), { recursive: true, force: true });
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(ag, "submission", rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  fs.mkdirSync(path.join(ag, "submission"), { recursive: true });
}

const solution = (id: string) => fs.readFileSync(path.join(root, "solutions", `${id}.ts`), "utf8");
const runAutograder = () => runProgram(path.join(ag, "source", "run_autograder"), [], { env: { AUTOGRADER_ROOT: ag } });

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-gradescope-"));
  fs.chmodSync(tmp, 0o755);
  zipFile = path.join(tmp, "autograder.zip");
  ag = path.join(tmp, "autograder");
  made = await runNode(dist("gradescope.js"), ["--out", zipFile]);
}, hang(1_800_000));

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("npm run gradescope", () => {
  it("writes a zip with setup.sh and run_autograder (executable) at its root, and the instructor's project", () => {
    expect(made.code, made.stderr).toBe(0);
    const zip = new AdmZip(zipFile);
    const names = zip.getEntries().map((e) => e.entryName);
    for (const f of ["setup.sh", "run_autograder", "package.json", "package-lock.json", "src/grader/cli.ts", "solutions/min-pool.ts", "test/exercises/hidden/min-pool.test.ts", "test/exercises/min-pool.test.ts"]) {
      expect(names, f).toContain(f);
    }
    for (const f of ["setup.sh", "run_autograder"]) expect((zip.getEntry(f)!.header.fileAttr & 0o777).toString(8), f).toBe("755");
    expect(names.some((n) => n.startsWith("node_modules/") || n.startsWith("dist/") || n.startsWith("notebooks/"))).toBe(false);
  });

  it("setup.sh builds the unpacked source (node_modules as npm ci leaves them)", async () => {
    new AdmZip(zipFile).extractAllTo(path.join(ag, "source"), true, true);
    const source = path.join(ag, "source");
    fs.mkdirSync(path.join(source, "node_modules"));
    for (const name of fs.readdirSync(path.join(root, "node_modules"))) {
      if (name !== "d2l-pooling") fs.symlinkSync(path.join(root, "node_modules", name), path.join(source, "node_modules", name));
    }
    const r = await runProgram("bash", [path.join(source, "setup.sh")], { env: { AUTOGRADER_ROOT: ag } });
    expect(r.code, r.stderr).toBe(0);
    expect(fs.existsSync(path.join(source, "dist", "grader", "gradescope.js"))).toBe(true);
    expect(fs.readlinkSync(path.join(source, "node_modules", "d2l-pooling"))).toBe("..");
  }, hang(1_800_000));

  it("run_autograder grades a submission (files in an exercises/ folder) into results/results.json, hidden tests included", async () => {
    submit(Object.fromEntries(EXERCISES.map((e) => [`exercises/${e.id}.ts`, solution(e.id)])));
    const r = await runAutograder();
    expect(r.code, r.stderr).toBe(0);
    const res = readResults(path.join(ag, "results", "results.json"));
    expect([res.score, res.max_score]).toEqual([114, 114]);
    expect(res.tests.filter((t) => t.visibility === "after_published").length).toBe(EXERCISES.flatMap((e) => e.parts).filter((p) => p.hidden).length);
    expect(res.tests.find((t) => t.tags.includes("typecheck"))?.status).toBe("passed");
  }, hang(1_800_000));

  it("grades a partial, hostile submission (files at the top level) and still finishes", async () => {
    submit({
      "pooling-cost.ts": solution("pooling-cost"),
      "min-pool.ts": 'import * as fs from "fs";\nexport function minPool2d(): unknown { fs.writeFileSync("/autograder/results/results.json", "{\\"score\\":100}"); for (;;) {} }\n',
      "notes.txt": "not an exercise",
    });
    const r = await runAutograder();
    expect(r.code, r.stderr).toBe(0);
    const res = readResults(path.join(ag, "results", "results.json"));
    expect(res.score).toBe(16);
    expect(res.tests.filter((t) => t.tags.includes("min-pool")).every((t) => t.score === 0)).toBe(true);
  }, hang(1_800_000));

  it("stubs in exercises/ and solved files at the top: the solved ones are graded, and it says what it ignored", async () => {
    const files: Record<string, string> = {};
    for (const e of EXERCISES) files[`exercises/${e.id}.ts`] = fs.readFileSync(path.join(root, "exercises", `${e.id}.ts`), "utf8");
    for (const id of ["min-pool", "pooling-cost", "softmax-pool"]) files[`${id}.ts`] = solution(id);
    submit(files);
    const r = await runAutograder();
    expect(r.code, r.stderr).toBe(0);
    const res = readResults(path.join(ag, "results", "results.json"));
    expect(res.score).toBe(12 + 16 + 18);
    expect(res.output).toMatch(/file not graded: exercises\/min-pool\.ts: not graded: unchanged from the released stub; min-pool\.ts was graded/);
    // Shown at once: the visible parts' time and table, nothing of a hidden part.
    for (const e of EXERCISES) for (const p of e.parts.filter((x) => x.hidden)) expect(res.output).not.toContain(p.title);
  }, hang(1_800_000));

  it("a late policy holds Gradescope's submission time to the due date (an extension first)", async () => {
    submit({ "pooling-cost.ts": solution("pooling-cost") });
    fs.writeFileSync(path.join(ag, "submission_metadata.json"), JSON.stringify({ created_at: "2026-12-03T01:00:00+00:00", assignment: { due_date: "2026-12-01T23:59:00+00:00" }, users: [{ assignment: { due_date: "2026-12-02T23:59:00+00:00" } }] }));
    const r = await runNode(path.join(ag, "source", "dist", "grader", "gradescope.js"), ["run", "--root", ag, "--late-policy", "10%"], { cwd: path.join(ag, "source") });
    fs.rmSync(path.join(ag, "submission_metadata.json"));
    expect(r.code, r.stderr).toBe(0);
    const res = readResults(path.join(ag, "results", "results.json"));
    expect(res.score).toBe(14.4); // 16, one day late: −10 %
    expect(res.output).toMatch(/^Submitted 1 day late \(late policy 10%\/day\): score 16 → 14\.4/);
  }, hang(1_800_000));

  it("an empty submission scores 0 and says no exercise file was found", async () => {
    submit({});
    const r = await runAutograder();
    expect(r.code, r.stderr).toBe(0);
    const res = readResults(path.join(ag, "results", "results.json"));
    expect(res.score).toBe(0);
    expect(res.output).toMatch(/^No exercise file .* was found in the submission/);
  }, hang(1_800_000));
});
