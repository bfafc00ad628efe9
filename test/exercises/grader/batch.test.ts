/**
 * Batch grading's contract (issue 5), end to end with the built CLI:
 *   node dist/grader/cli.js --submissions DIR --out OUT --jobs 2
 * writes OUT/students/<student>/results.json (Gradescope) and feedback.html, OUT/grades.csv and
 * OUT/report.html; exit 0 whatever the scores, 2 with a message when the grader cannot run.
 * (Hostile submissions: test/instructor/, `npm run test:instructor`.)
 */
import { hang } from "../../helpers/hang";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EXERCISES } from "../../../src/grader/manifest";
import { projectRoot } from "../../../src/grader/paths";

const root = projectRoot();
const cli = path.join(root, "dist", "grader", "cli.js");
let tmp: string;
let subs: string;
let out: string;
let run: { code: number | null; stdout: string; stderr: string };

function grade(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { GRADE_TARGET: _ignored, ...env } = process.env;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, env: { ...env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c));
    child.stderr.on("data", (c: Buffer) => (stderr += c));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const copy = (from: string, to: string, ids: string[]) => {
  fs.mkdirSync(to, { recursive: true });
  for (const id of ids) fs.copyFileSync(path.join(root, from, `${id}.ts`), path.join(to, `${id}.ts`));
};
const results = (s: string) => JSON.parse(fs.readFileSync(path.join(out, "students", s, "results.json"), "utf8"));

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-batch-"));
  subs = path.join(tmp, "submissions");
  out = path.join(tmp, "out");
  const all = EXERCISES.map((e) => e.id);
  copy("solutions", path.join(subs, "ada"), all);
  copy("exercises", path.join(subs, "ben"), all);
  // Two exercises solved, one with a type error (runs, full credit, listed) and one with a syntax error.
  copy("solutions", path.join(subs, "cy"), ["pooling-cost", "min-pool"]);
  fs.appendFileSync(path.join(subs, "cy", "min-pool.ts"), '\nconst typeError: number = "one";\n');
  fs.writeFileSync(path.join(subs, "cy", "softmax-pool.ts"), "export function softmaxPool2d( {\n");
  run = await grade(["--submissions", subs, "--out", out, "--jobs", "2"]);
}, hang(900_000));

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("npm run grade -- --submissions DIR --out OUT", () => {
  it("exits 0 and reports progress, one line per submission when not on a terminal", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Grading 3 submissions in .*, 2 at a time \(hidden tests count\)/);
    for (const [s, score] of [["ada", 114], ["ben", 0], ["cy", 28]] as const) expect(run.stdout).toMatch(new RegExp(`^\\[\\d/3\\] ${s} ${score}/114$`, "m"));
    expect(run.stdout).toMatch(/^Graded 3 submissions in [\d.]+ s; mean 47\.3\/114; grading seed (\d+) \(--seed \1 draws the same cases\)\.$/m);
  });

  it("writes results.json in Gradescope's format, hidden tests included, and a feedback page per student", () => {
    const ada = results("ada");
    expect([ada.score, ada.max_score]).toEqual([114, 114]);
    const parts = EXERCISES.flatMap((e) => e.parts);
    expect(ada.tests).toHaveLength(parts.length + 1); // + the type check
    for (const t of ada.tests) expect(Object.keys(t).sort()).toEqual(["max_score", "name", "number", "output", "score", "status", "tags", "visibility"]);
    expect(ada.tests.filter((t: { visibility: string }) => t.visibility === "after_published")).toHaveLength(parts.filter((p) => p.hidden).length);
    expect(results("ben").score).toBe(0);
    const cy = results("cy");
    expect(cy.score).toBe(28); // pooling-cost 16 + min-pool 12: a type error costs nothing
    const typeCheck = cy.tests.find((t: { tags: string[] }) => t.tags.includes("typecheck"));
    expect(typeCheck.status).toBe("failed");
    expect(typeCheck.score).toBe(0);
    expect(typeCheck.max_score).toBe(0);
    expect(typeCheck.output).toMatch(/min-pool\.ts:\d+:7 error TS2322/);
    const soft = cy.tests.find((t: { tags: string[]; name: string }) => t.tags.includes("softmax-pool"));
    expect(soft.output).toMatch(/exercises\/softmax-pool\.ts could not be loaded: syntax error: softmax-pool\.ts:2:1: '\}' expected\./);
    const html = fs.readFileSync(path.join(out, "students", "cy", "feedback.html"), "utf8");
    expect(html).toMatch(/<h1>Pooling exercises \(d2l\.ai 6\.5\) — cy<\/h1>/);
    expect(html).toMatch(/<b>28\/114<\/b> points \(hidden tests included\)/);
    expect(html).toContain("Type errors (not graded)");
  });

  it("writes grades.csv: student, score, max_score and one column per exercise", () => {
    const lines = fs.readFileSync(path.join(out, "grades.csv"), "utf8").trim().split("\n");
    expect(lines[0]).toBe(["student", "score", "max_score", ...EXERCISES.map((e) => e.id)].join(","));
    expect(lines.slice(1)).toEqual(["ada,114,114,14,14,8,18,16,14,12,18", "ben,0,114,0,0,0,0,0,0,0,0", "cy,28,114,0,0,0,0,16,0,12,0"]);
  });

  it("writes report.html: plotly (inline) charts of the score distribution and per-exercise pass rates", () => {
    const html = fs.readFileSync(path.join(out, "report.html"), "utf8");
    expect(html.length).toBeGreaterThan(1_000_000); // the plotly bundle, so it works offline
    expect(html).toContain('Plotly.newPlot("histogram"');
    expect(html).toContain('Plotly.newPlot("rates"');
    expect(html).toMatch(/3 submissions · mean 47\.3 · median 28/);
    const rates = JSON.parse(/var rates = (.*);\n/.exec(html)![1]) as { data: { name: string; x: string[]; y: number[] }[] };
    const passed = rates.data.find((d) => d.name.startsWith("passed"))!;
    expect(passed.y[passed.x.indexOf("pooling-cost")]).toBeCloseTo(200 / 3, 6);
    expect(passed.y[passed.x.indexOf("softmax-pool")]).toBeCloseTo(100 / 3, 6);
    expect(html).toContain('<a href="students/cy/feedback.html">cy</a>');
  });

  it("exit 2 with a message when it cannot run: no such folder, no --out, --out inside the submissions", async () => {
    const missing = await grade(["--submissions", path.join(tmp, "nowhere"), "--out", path.join(tmp, "o2")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^grade: the submissions folder .*nowhere does not exist/);
    const noOut = await grade(["--submissions", subs]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/--submissions needs --out OUT/);
    const inside = await grade(["--submissions", subs, "--out", path.join(subs, "results")]);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/is inside --submissions/);
    fs.mkdirSync(path.join(tmp, "empty"));
    const empty = await grade(["--submissions", path.join(tmp, "empty"), "--out", path.join(tmp, "o3")]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/holds no submission folders/);
  });
});
