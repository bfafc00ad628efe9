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

const csvRows = (file: string) => fs.readFileSync(file, "utf8").trim().split(/\r?\n/);

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-batch-"));
  subs = path.join(tmp, "submissions");
  out = path.join(tmp, "out");
  const all = EXERCISES.map((e) => e.id);
  copy("solutions", path.join(subs, "ada"), all);
  copy("exercises", path.join(subs, "ben"), all);
  // Two exercises solved (in exercises/, as Gradescope's layout), one with a type error (runs, full
  // credit, listed) and one with a syntax error; a misnamed file.
  copy("solutions", path.join(subs, "cy", "exercises"), ["pooling-cost", "min-pool"]);
  fs.appendFileSync(path.join(subs, "cy", "exercises", "min-pool.ts"), '\nconst typeError: number = "one";\n');
  fs.writeFileSync(path.join(subs, "cy", "exercises", "softmax-pool.ts"), "export function softmaxPool2d( {\n");
  fs.writeFileSync(path.join(subs, "cy", "maxpoolasconv.ts"), "export {};\n");
  run = await grade(["--submissions", subs, "--out", out, "--jobs", "2", "--lang", "en"]);
}, hang(900_000));

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("npm run grade -- --submissions DIR --out OUT", () => {
  it("exits 0 and reports progress, one line per submission when not on a terminal", () => {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Grading 3 submissions in .*, 2 at a time \(hidden tests count\)/);
    for (const [s, score] of [["ada", 114], ["ben", 0], ["cy", 28]] as const) expect(run.stdout).toMatch(new RegExp(`^\\[\\d/3\\] ${s} ${score}/114$`, "m"));
    expect(run.stdout).toMatch(/^Graded 3 submissions in [\d.]+ s\.$/m);
    expect(run.stdout).toMatch(/^The gradebook has 3 rows, mean 47\.3\/114\.$/m);
    expect(run.stdout).toMatch(/^Grading seed (\d+) \(kept in the gradebook; --seed \1 draws the same cases\)\.$/m);
  });

  it("writes results.json in Gradescope's format, hidden tests included, and two feedback pages per student", () => {
    const ada = results("ada");
    expect([ada.score, ada.max_score]).toEqual([114, 114]);
    const parts = EXERCISES.flatMap((e) => e.parts);
    expect(ada.tests).toHaveLength(parts.length + 1); // + the type check
    for (const t of ada.tests) expect(Object.keys(t).sort()).toEqual(["max_score", "name", "number", "output", "score", "status", "tags", "visibility"]);
    expect(ada.tests.filter((t: { visibility: string }) => t.visibility === "after_published")).toHaveLength(parts.filter((p) => p.hidden).length);
    expect(ada.output).toMatch(/^Visible tests: 100\/100 points\. The score of this submission also counts the hidden tests/m);
    expect(results("ben").score).toBe(0);
    const cy = results("cy");
    expect(cy.score).toBe(28); // pooling-cost 16 + min-pool 12: a type error costs nothing
    const typeCheck = cy.tests.find((t: { tags: string[] }) => t.tags.includes("typecheck"));
    expect(typeCheck.status).toBe("failed");
    expect(typeCheck.score).toBe(0);
    expect(typeCheck.max_score).toBe(0);
    expect(typeCheck.output).toMatch(/min-pool\.ts:\d+:7 error TS2322/);
    const soft = cy.tests.filter((t: { tags: string[]; name: string }) => t.tags.includes("softmax-pool"));
    expect(soft[0].output).toMatch(/exercises\/softmax-pool\.ts could not be loaded: syntax error: softmax-pool\.ts:2:1: '\}' expected\./);
    // A file that does not load fails its random part as it is: not "a random case … shrunk 8 times".
    for (const t of soft) expect(t.output, t.name).not.toMatch(/random case|shrunk/);
    expect(cy.output).toMatch(/file not graded: maxpoolasconv\.ts: not graded: did you mean max-pool-as-conv\.ts\? Rename it/);
    const full = fs.readFileSync(path.join(out, "students", "cy", "feedback-full.html"), "utf8");
    expect(full).toMatch(/<h1>Pooling exercises \(d2l\.ai 6\.5\) — cy<\/h1>/);
    expect(full).toMatch(/<b>Grade: 28\/114 points<\/b> <span class="dim">\(visible tests 24\/100 \+ hidden tests 4\/14\)<\/span>/);
    expect(full).toContain("Type errors (not graded)");
    expect(full).toContain("<code>min-pool.ts</code> ← <code>exercises/min-pool.ts</code>");
    const visible = fs.readFileSync(path.join(out, "students", "cy", "feedback-visible.html"), "utf8");
    expect(visible).toMatch(/<b>Visible tests: 24\/100 points<\/b>/);
    expect(visible).toContain("did you mean max-pool-as-conv.ts? Rename it");
  });

  it("the send-now page and results.json's top say nothing of a hidden part, and no page holds a path of this machine", () => {
    const hiddenTitles = EXERCISES.flatMap((e) => e.parts.filter((p) => p.hidden).flatMap((p) => [p.title.zh, p.title.en]));
    for (const s of ["ada", "ben", "cy"]) {
      const visible = fs.readFileSync(path.join(out, "students", s, "feedback-visible.html"), "utf8");
      const top = results(s).output as string;
      for (const t of hiddenTitles) {
        expect(visible, `${s}: ${t}`).not.toContain(t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/'/g, "&#39;"));
        expect(top, `${s}: ${t}`).not.toContain(t);
      }
      expect(visible).not.toMatch(/hidden test<|\/114|grading seed|Graded 20/);
      for (const f of ["feedback-visible.html", "feedback-full.html", "results.json"]) {
        const text = fs.readFileSync(path.join(out, "students", s, f), "utf8");
        for (const p of [tmp, root, os.tmpdir() + "/d2l-"]) expect(text, `${s}/${f}`).not.toContain(p);
      }
    }
  });

  it("writes grades.csv: student, score, max_score, one column per exercise, written answers, late work, final, flags", () => {
    const lines = csvRows(path.join(out, "grades.csv"));
    expect(lines[0]).toBe(["student", "score", "max_score", ...EXERCISES.map((e) => e.id), "written", "written_max", "late_days", "late_penalty_percent", "final", "final_max", "flags"].join(","));
    // cy's pooling-cost.ts is the reference solution too: flagged as that, not as ada's twin.
    expect(lines[1]).toMatch(/^ada,114,114,14,14,8,18,16,14,12,18,,,0,0,114,114,"identical to the reference solution: avg-pool-as-conv\.ts, /);
    expect(lines[2]).toBe("ben,0,114,0,0,0,0,0,0,0,0,,,0,0,0,114,");
    expect(lines[3]).toMatch(/^cy,28,114,0,0,0,0,16,0,12,0,,,0,0,28,114,1 file not graded; syntax error: softmax-pool\.ts; type errors: min-pool\.ts; identical to the reference solution: pooling-cost\.ts$/);
  });

  it("writes report.html: plotly (inline) charts, attempted = differs from the stub, pass rate per part, flags", () => {
    const html = fs.readFileSync(path.join(out, "report.html"), "utf8");
    expect(html.length).toBeGreaterThan(1_000_000); // the plotly bundle, so it works offline
    expect(html).toContain('Plotly.newPlot("histogram"');
    expect(html).toContain('Plotly.newPlot("rates"');
    expect(html).toMatch(/3 submissions · mean 47\.3 · median 28/);
    const rates = JSON.parse(/var rates = (.*);\n/.exec(html)![1]) as { data: { name: string; x: string[]; y: number[] }[] };
    const attempted = rates.data.find((d) => d.name === "attempted")!;
    // ben handed in the stubs: attempted nothing; cy attempted three (softmax-pool with a syntax error).
    expect(attempted.y[attempted.x.indexOf("pooling-cost")]).toBeCloseTo(200 / 3, 6);
    expect(attempted.y[attempted.x.indexOf("avg-pool-as-conv")]).toBeCloseTo(100 / 3, 6);
    const passed = rates.data.find((d) => d.name.startsWith("full marks"))!;
    expect(passed.y[passed.x.indexOf("softmax-pool")]).toBeCloseTo(50, 6); // ada yes, cy no
    expect(html).toContain('<a href="students/cy/feedback-full.html">full</a>');
    expect(html).toContain('<a href="students/cy/feedback-visible.html">send now</a>');
    expect(html).toMatch(/<td class="num">1\.1<\/td><td>avg-pool-as-conv<\/td><td>avgPoolWeight: one channel, 2×2 window: conv2d with it is average pooling<\/td><td class="num">1<\/td><td class="num">100% <small>\(1\/1\)<\/small><\/td>/);
  });

  it("regrading one student into the gradebook replaces that row and keeps the others; --resume grades only what changed", async () => {
    const one = path.join(tmp, "one");
    copy("solutions", path.join(one, "ben"), ["min-pool"]);
    const again = await grade(["--submissions", one, "--out", out, "--jobs", "1", "--lang", "en"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^Graded 1 submission in [\d.]+ s\.$/m);
    expect(again.stdout).toMatch(/^2 other rows of the gradebook not graded in this run, kept as they were/m);
    const lines = csvRows(path.join(out, "grades.csv"));
    expect(lines.map((l) => l.split(",").slice(0, 3).join(","))).toEqual([lines[0].split(",").slice(0, 3).join(","), "ada,114,114", "ben,12,114", "cy,28,114"]);
    const seed = JSON.parse(fs.readFileSync(path.join(out, "gradebook.json"), "utf8")).seed;
    expect(results("ben").extra_data.grading_seed).toBe(seed); // the gradebook's seed, not a new one
    // The class folder again with --resume: only ben's files differ from his row (he was regraded from `one`).
    const resumed = await grade(["--submissions", subs, "--out", out, "--jobs", "1", "--resume", "--lang", "en"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/^Grading 1 submission in .* \(2 submissions unchanged since graded: kept\)/);
    expect(resumed.stdout).toMatch(/^\[1\/1\] ben 0\/114$/m);
    // A TA who regraded ben from a fix that came by mail is told --resume just replaced it.
    expect(resumed.stdout).toMatch(/^problem: ben: last graded from .*one; --resume found other files for them in .* and graded those/m);
    const nothing = await grade(["--submissions", subs, "--out", out, "--resume", "--lang", "en"]);
    expect(nothing.stdout).toMatch(/^Nothing to grade \(3 submissions unchanged since graded: kept\)\.$/m);
  }, hang(900_000));

  it("exit 2 with a message when it cannot run: no such folder, no --out, --out inside the submissions, --out not a gradebook", async () => {
    const missing = await grade(["--submissions", path.join(tmp, "nowhere"), "--out", path.join(tmp, "o2")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^grade: the submissions folder .*nowhere does not exist/);
    const noOut = await grade(["--submissions", subs]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/--submissions and --refresh need --out OUT/);
    const inside = await grade(["--submissions", subs, "--out", path.join(subs, "results")]);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/is inside --submissions/);
    const typo = await grade(["--submissions", subs, "--out", path.join(tmp, "o9"), "--students", "Ada"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/--students: no submission named "Ada" in .* \(did you mean ada\?\)/);
    // The same through a link to the class folder (a TA's report: the gradebook was then graded as a student).
    fs.symlinkSync(subs, path.join(tmp, "subs-link"));
    const viaLink = await grade(["--submissions", path.join(tmp, "subs-link"), "--out", path.join(subs, "results")]);
    expect(viaLink.code).toBe(2);
    expect(viaLink.stderr).toMatch(/is inside --submissions/);
    fs.mkdirSync(path.join(tmp, "empty"));
    const empty = await grade(["--submissions", path.join(tmp, "empty"), "--out", path.join(tmp, "o3")]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/holds no submissions/);
    const other = path.join(tmp, "photos");
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, "cat.jpg"), "x");
    const refused = await grade(["--submissions", subs, "--out", other]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/is not empty and is not a gradebook \(it has no gradebook\.json\).*Nothing was written\./);
    expect(fs.readdirSync(other)).toEqual(["cat.jpg"]);
  });
});
