/**
 * A TA's term with a messy class (issue 20): 18 submissions as students hand them in — files at the
 * top, in exercises/, in <student>.zip with a wrapper folder and __MACOSX, in a zip inside their
 * folder, misnamed, stubs beside solved files, blank written answers, three identical copies, a zip
 * bomb, a zip with paths out of it, names with HTML and terminal escapes, two names that differ only
 * in case, an empty folder, and code that sleeps only on hidden inputs — graded into a gradebook with
 * a roster and a late policy; written answers graded by hand; one student regraded; then a run killed
 * mid-way (SIGTERM) and resumed. After each step every student has exactly one correct row, every
 * skip is reported, and nothing of a hidden part is in a send-now page. Screenshots of report.html and
 * both feedback pages go to artifacts/.
 */
import { hang } from "../helpers/hang";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chromium } from "playwright-core";
import { studentDir } from "../../src/grader/batch";
import { EXERCISES } from "../../src/grader/manifest";
import { writeZip, zipBomb } from "../helpers/zip";
import { dist, readResults, root, runNode, type Run } from "./support";

const HTML_NAME = "<img src=x onerror=alert(1)>";
const ANSI_NAME = "\x1b[31mred\x1b[0m";
const ALL = EXERCISES.map((e) => e.id);
const solution = (id: string) => fs.readFileSync(path.join(root, "solutions", `${id}.ts`), "utf8");
const stub = (id: string) => fs.readFileSync(path.join(root, "exercises", `${id}.ts`), "utf8");
const blankAnswers = (src: string) => src.replace(/export const (WHY_\w+|NEED_MIN_POOL) =\n[\s\S]*?";\n/g, 'export const $1 = "";\n');
const SLEEPY = solution("min-pool").replace(
  /export function minPool2d\(X: Tensor, kernelSize: Pair, options: MinPoolOptions = \{\}\): Tensor \{\n/,
  '$&  if (X.dim() === 3 && String(X.dtype) === "float64") {\n    const t = Date.now();\n    while (Date.now() - t < 3000) {\n      // only on the hidden test\'s inputs\n    }\n  }\n',
);

/** Each student, their files, and their autograded score (hidden tests included) after the first run. */
const CLASS: { id: string; files?: Record<string, string | Buffer>; zip?: Buffer; score: number }[] = [
  { id: "ada", files: Object.fromEntries(ALL.map((id) => [`${id}.ts`, solution(id)])), score: 114 },
  { id: "bea", files: Object.fromEntries(ALL.map((id) => [`exercises/${id}.ts`, solution(id)])), score: 114 },
  {
    id: "olga",
    zip: writeZip([
      { name: "pooling-student/exercises/min-pool.ts", data: solution("min-pool") },
      { name: "pooling-student/exercises/pooling-cost.ts", data: solution("pooling-cost") },
      { name: "__MACOSX/pooling-student/exercises/._min-pool.ts", data: "junk" },
    ]),
    score: 28,
  },
  { id: "pat", files: { "submission.zip": writeZip([{ name: "softmax-pool.ts", data: solution("softmax-pool") }]) }, score: 18 },
  {
    id: "misnamed",
    files: {
      "softmax-pool.ts": solution("softmax-pool"),
      "old/softmax-pool.ts": "export const olderTry = 1;\n",
      "minpool.ts": solution("min-pool"),
      "Max-Vs-Avg.ts": solution("max-vs-avg"),
      "pooling_cost.ts": solution("pooling-cost"),
      "avg-pool-as-conv.js": "x",
      "notes.md": "# notes",
      "max-pool-as-conv (1).ts": solution("max-pool-as-conv"),
    },
    score: 18, // softmax-pool.ts: the only exercise file by its name
  },
  { id: "stubs-and-solved", files: { ...Object.fromEntries(ALL.map((id) => [`exercises/${id}.ts`, stub(id)])), "min-pool.ts": solution("min-pool"), "pooling-cost.ts": solution("pooling-cost"), "softmax-pool.ts": solution("softmax-pool") }, score: 46 },
  { id: "blank", files: Object.fromEntries(ALL.map((id) => [`${id}.ts`, blankAnswers(solution(id))])), score: 114 },
  ...["copy-1", "copy-2", "copy-3"].map((id) => ({ id, files: { "min-pool.ts": `// our work\n${solution("min-pool")}`, "softmax-pool.ts": `// our work\n${solution("softmax-pool")}` }, score: 30 })),
  { id: "bomb", files: { "min-pool.ts": solution("min-pool"), "bomb.zip": zipBomb(300 * 1024 * 1024, "softmax-pool.ts") }, score: 12 },
  { id: "escape", zip: writeZip([{ name: "../../../outside.ts", data: "export const x = 1;\n" }, { name: "/etc/cron.d/x.ts", data: "x" }, { name: "pooling-cost.ts", data: solution("pooling-cost") }]), score: 16 },
  { id: HTML_NAME, files: { "min-pool.ts": solution("min-pool") }, score: 12 },
  { id: ANSI_NAME, files: { "pooling-cost.ts": solution("pooling-cost") }, score: 16 },
  { id: "Ann", files: { "pooling-cost.ts": solution("pooling-cost") }, score: 16 },
  { id: "ann", files: { "min-pool.ts": solution("min-pool") }, score: 12 },
  { id: "empty", files: {}, score: 0 },
  { id: "sleepy", files: { "min-pool.ts": SLEEPY }, score: 12 }, // right answers, slow on the hidden inputs only: full points
];

let tmp: string;
let subs: string;
let out: string;
let first: Run;
const csv = () => fs.readFileSync(path.join(out, "grades.csv"), "utf8").trim().split(/\r?\n/);
const results = (id: string) => readResults(path.join(studentDir(out, id), "results.json")) as ReturnType<typeof readResults> & { extra_data: { grading_seed: number } };
const page = (id: string, which: "visible" | "full") => fs.readFileSync(path.join(studentDir(out, id), `feedback-${which}.html`), "utf8");
const record = (id: string) => fs.readFileSync(path.join(studentDir(out, id), "record.json"), "utf8");
const grade = (args: string[]) => runNode(dist("cli.js"), [...args, "--lang", "en"]);
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** The rows of grades.csv by folder (roster columns first: student_id,name,email,folder,score,…). */
function rows(): Map<string, string[]> {
  const [head, ...body] = csv();
  const cols = head.split(",");
  const folder = cols.indexOf("folder");
  const m = new Map<string, string[]>();
  for (const line of body) {
    const cells = parseLine(line);
    expect(m.has(cells[folder]), `one row for ${cells[folder]}`).toBe(false);
    m.set(cells[folder], cells);
  }
  return m;
}
function parseLine(line: string): string[] {
  const cells: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') (cur += '"'), i++;
    else if (c === '"') quoted = !quoted;
    else if (c === "," && !quoted) cells.push(cur), (cur = "");
    else cur += c;
  }
  return [...cells, cur];
}
const col = (name: string) => csv()[0].split(",").indexOf(name);
/** How csv shows a folder name: control characters visible, formulas guarded. */
const shown = (id: string) => id.replace(/\x1b/g, "\\x1b");

function checkSendNowPages(): void {
  const hidden = EXERCISES.flatMap((e) => e.parts.filter((p) => p.hidden).flatMap((p) => [p.title.zh, p.title.en]));
  for (const s of CLASS) {
    const v = page(s.id, "visible");
    for (const t of hidden) expect(v, `${s.id}: ${t}`).not.toContain(esc(t));
    expect(v, s.id).not.toMatch(/hidden test<|\/114|grading seed|Graded 20\d\d/);
    const top = results(s.id).output;
    for (const t of hidden) expect(top, `${s.id}: ${t}`).not.toContain(t);
    for (const f of [v, page(s.id, "full"), JSON.stringify(results(s.id))]) for (const p of [tmp, root, `${os.tmpdir()}/d2l-`]) expect(f, s.id).not.toContain(p);
  }
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-gradebook-suite-"));
  subs = path.join(tmp, "submissions");
  out = path.join(tmp, "gradebook");
  for (const s of CLASS) {
    if (s.zip) fs.mkdirSync(subs, { recursive: true }), fs.writeFileSync(path.join(subs, `${s.id}.zip`), s.zip);
    else {
      const dir = path.join(subs, s.id);
      fs.mkdirSync(dir, { recursive: true });
      for (const [rel, data] of Object.entries(s.files ?? {})) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), data);
      }
    }
  }
  fs.mkdirSync(path.join(subs, "__MACOSX", "ada"), { recursive: true });
  fs.writeFileSync(path.join(subs, "__MACOSX", "ada", "._min-pool.ts"), "junk");
  fs.writeFileSync(path.join(subs, "readme.txt"), "submissions exported on Monday");
  fs.writeFileSync(
    path.join(tmp, "roster.csv"),
    "folder,student_id,name,email,submitted_at\r\nada,S001,Ada L.,ada@u.edu,2026-12-01T20:00:00Z\r\nbea,S002,\"Bea, B.\",bea@u.edu,2026-12-02T10:00:00Z\r\nolga,S003,Olga,olga@u.edu,\r\nzoe,S009,Zoe,zoe@u.edu,\r\n",
  );
  first = await grade(["--submissions", subs, "--out", out, "--jobs", "2", "--roster", path.join(tmp, "roster.csv"), "--deadline", "2026-12-01T23:59:00Z", "--late-policy", "10%"]);
}, hang(1_800_000));

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("a messy class, graded into a gradebook", () => {
  it("every submission is found and graded once: folders and zips are students, __MACOSX and loose files are not", () => {
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Graded 18 submissions in [\d.]+ s\.$/m);
    const r = rows();
    expect([...r.keys()].sort()).toEqual([...CLASS.map((s) => shown(s.id)), "zoe"].sort());
    for (const s of CLASS) expect(Number(r.get(shown(s.id))![col("score")]), s.id).toBe(s.score);
    expect(r.get("zoe")![col("flags")]).toBe("no submission");
    expect(fs.readdirSync(path.join(out, "students")).length).toBe(CLASS.length); // Ann and ann: two folders
  });

  it("every skip is said, in the student's feedback and the report", () => {
    const notes = (id: string) => results(id).output;
    expect(notes("olga")).toContain("__MACOSX");
    expect(notes("misnamed")).toMatch(/old\/softmax-pool\.ts: not graded: softmax-pool\.ts \(at the top\) was graded instead/);
    expect(notes("misnamed")).toMatch(/minpool\.ts: not graded: did you mean min-pool\.ts\? Rename it/);
    expect(notes("misnamed")).toMatch(/Max-Vs-Avg\.ts: not graded: did you mean max-vs-avg\.ts\?/);
    expect(notes("misnamed")).toMatch(/pooling_cost\.ts: not graded: did you mean pooling-cost\.ts\?/);
    expect(notes("misnamed")).toMatch(/avg-pool-as-conv\.js: not graded: did you mean avg-pool-as-conv\.ts\?/);
    expect(notes("misnamed")).toMatch(/max-pool-as-conv \(1\)\.ts: not graded: did you mean max-pool-as-conv\.ts\?/);
    expect(notes("misnamed")).toMatch(/notes\.md: not graded: not an exercise file/);
    expect(notes("stubs-and-solved")).toMatch(/exercises\/min-pool\.ts: not graded: unchanged from the released stub; min-pool\.ts was graded/);
    expect(notes("bomb")).toMatch(/bomb\.zip: not opened: it would unpack to more than 200 MB/);
    expect(notes("escape")).toMatch(/escape\.zip ▸ \.\.\/\.\.\/\.\.\/outside\.ts: skipped: its path leads out of the zip's folder/);
    expect(fs.existsSync(path.join(tmp, "outside.ts")) || fs.existsSync(path.join(subs, "..", "..", "outside.ts"))).toBe(false);
    const report = fs.readFileSync(path.join(out, "report.html"), "utf8");
    expect(report).toContain("readme.txt in the submissions folder: skipped: neither a student&#39;s folder nor a .zip");
    expect(report).toContain('<span class="flag">7 files not graded</span>'); // misnamed's
  });

  it("the report and grades.csv flag what a TA must act on", () => {
    const r = rows();
    const flags = (id: string) => r.get(shown(id))![col("flags")];
    expect(flags("blank")).toMatch(/written answer blank: max-pool-not-linear, max-vs-avg, min-pool, softmax-pool/);
    expect(flags("copy-1")).toMatch(/identical to another student's: min-pool\.ts = copy-2, copy-3; softmax-pool\.ts = copy-2, copy-3/);
    expect(flags("ada")).toMatch(/identical to the reference solution/);
    expect(flags("Ann")).toMatch(/name differs only in case from ann/);
    expect(flags("sleepy")).toBe("not on the roster");
    expect(flags("misnamed")).toMatch(/^7 files not graded/);
    expect(flags("copy-1")).toMatch(/not on the roster/);
    // Late work: bea submitted 10 h after the deadline, 10 % a day.
    expect(flags("bea")).toMatch(/late 10 h, −10%/);
    expect(r.get("bea")!.slice(0, 4)).toEqual(["S002", "Bea, B.", "bea@u.edu", "bea"]);
    expect(r.get("bea")![col("final")]).toBe("102.6");
    const report = fs.readFileSync(path.join(out, "report.html"), "utf8");
    expect(report).not.toContain(HTML_NAME);
    expect(report).toContain(esc(HTML_NAME));
    expect(report).toMatch(/Pass rate per part/);
  });

  it("nothing of a hidden part is in a send-now page, not even its time", () => {
    checkSendNowPages();
    // sleepy loops 3 s on the hidden test's inputs only: nothing shown at once has a duration.
    expect(results("sleepy").execution_time).toBeUndefined();
    expect(results("sleepy").output).not.toMatch(/\d\.\d s\b/);
    expect(page("sleepy", "visible")).not.toMatch(/\d\.\d s\b/);
    const full = Number(/Graded [^<]* in ([\d.]+) s/.exec(page("sleepy", "full"))![1]);
    expect(full).toBeGreaterThan(3);
  });

  it("exports for the LMS: canvas.csv and moodle.csv keyed by the roster's ids", () => {
    const canvas = fs.readFileSync(path.join(out, "canvas.csv"), "utf8").split("\r\n");
    expect(canvas.slice(0, 2)).toEqual(["Student,ID,SIS User ID,SIS Login ID,Section,Pooling (d2l.ai 6.5)", "Points Possible,,,,,114"]);
    expect(canvas).toContain('"Bea, B.",,S002,bea@u.edu,,102.6');
    expect(canvas).toContain("Zoe,,S009,zoe@u.edu,,");
    expect(fs.readFileSync(path.join(out, "moodle.csv"), "utf8")).toContain("S001,ada@u.edu,114\r\n");
    // A student not on the roster cannot be in them: the run says so (a TA's report: they just went missing).
    expect(first.stdout).toMatch(/^problem: sleepy is not on the roster, so it is not in canvas\.csv and moodle\.csv/m);
  });
});

describe("a term goes on: hand grading, a regrade, a run killed and resumed", () => {
  it("written answers graded by hand go into grades.csv on --refresh (nothing is regraded)", async () => {
    const file = path.join(out, "manual-points.csv");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("ada,max-vs-avg/answer,,,", "ada,max-vs-avg/answer,3,4,clear"));
    const before = record("ada");
    const r = await grade(["--out", out, "--refresh"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Pages and sheets made again from the gradebook \(nothing graded\)/m);
    expect(record("ada")).toBe(before);
    const ada = rows().get("ada")!;
    expect([ada[col("written")], ada[col("written_max")], ada[col("final")], ada[col("final_max")]]).toEqual(["3", "4", "117", "118"]);
    expect(fs.readFileSync(path.join(out, "written-answers.html"), "utf8")).toMatch(/<td>ada<\/td><td><pre>[^<]*<\/pre><small>clear<\/small><\/td><td class="num">3\/4<\/td>/);
    // The student sees each question's points and the TA's comment once the grades are published.
    expect(page("ada", "full")).toContain("max-vs-avg/answer: 3/4 — clear");
    expect(page("ada", "visible")).not.toContain("max-vs-avg/answer: 3/4");
  }, hang(1_800_000));

  it("regrading one student (a folder with only them) replaces their row and keeps every other row as it was", async () => {
    const fix = path.join(tmp, "fix", "misnamed");
    fs.mkdirSync(fix, { recursive: true });
    for (const id of ["min-pool", "softmax-pool", "pooling-cost", "max-vs-avg"]) fs.writeFileSync(path.join(fix, `${id}.ts`), solution(id));
    const others = Object.fromEntries(CLASS.filter((s) => s.id !== "misnamed").map((s) => [s.id, record(s.id)]));
    // The other students' pages are not written again (their times stay: a sync sends only what changed).
    const page = (id: string) => path.join(out, "students", id, "feedback-full.html");
    const times = Object.fromEntries(Object.keys(others).filter((id) => fs.existsSync(page(id))).map((id) => [id, fs.statSync(page(id)).mtimeMs]));
    const r = await grade(["--submissions", path.join(tmp, "fix"), "--out", out, "--jobs", "2"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Graded 1 submission in/m);
    expect(r.stdout).toMatch(/^17 other rows of the gradebook not graded in this run, kept as they were/m);
    for (const [id, rec] of Object.entries(others)) expect(record(id), id).toBe(rec);
    expect(Object.keys(times).length).toBeGreaterThan(10);
    for (const [id, t] of Object.entries(times)) expect(fs.statSync(page(id)).mtimeMs, id).toBe(t);
    const r2 = rows();
    expect(r2.size).toBe(CLASS.length + 1);
    expect(Number(r2.get("misnamed")![col("score")])).toBe(60);
    expect(r2.get("ada")![col("written")]).toBe("3");
    expect(results("misnamed").extra_data.grading_seed).toBe(results("ada").extra_data.grading_seed);
  }, hang(1_800_000));

  it("a run killed mid-way (SIGTERM) leaves grades.csv and report.html for what finished and a note of what did not; --resume finishes it", async () => {
    const NEW_SEED = "424242";
    const child = spawn(process.execPath, [dist("cli.js"), "--submissions", subs, "--out", out, "--jobs", "1", "--seed", NEW_SEED, "--lang", "en"], { cwd: root, env: { ...process.env, NO_COLOR: "1", GRADE_TARGET: "" } });
    let stdout = "";
    let stderr = "";
    const killed = await new Promise<number | null>((resolve) => {
      child.stdout.on("data", (c: Buffer) => {
        stdout += c;
        if (/^\[3\/18\]/m.test(stdout)) child.kill("SIGTERM");
      });
      child.stderr.on("data", (c: Buffer) => (stderr += c));
      child.on("close", (code) => resolve(code));
    });
    expect(killed, stderr).toBe(143);
    expect(stderr).toMatch(/grade: stopped \(SIGTERM\): [3-9] graded in this run, \d+ not finished\. grades\.csv and report\.html cover what finished\. Run the same command with --resume to finish\./);
    expect(fs.existsSync(path.join(out, ".lock"))).toBe(false);
    const r = rows(); // one row per student, still
    expect(r.size).toBe(CLASS.length + 1);
    const seeds = CLASS.map((s) => results(s.id).extra_data.grading_seed);
    const regraded = seeds.filter((x) => x === Number(NEW_SEED)).length;
    expect(regraded).toBeGreaterThanOrEqual(3);
    expect(regraded).toBeLessThan(CLASS.length);
    const report = fs.readFileSync(path.join(out, "report.html"), "utf8");
    expect(report).toMatch(/The last run was interrupted \(SIGTERM\)<\/b>: \d+ students not graded:/);
    const gradebook = JSON.parse(fs.readFileSync(path.join(out, "gradebook.json"), "utf8"));
    expect(gradebook.runs.at(-1)).toMatchObject({ interrupted: "SIGTERM", finished: null });
    expect(gradebook.runs.at(-1).unfinished.length + gradebook.runs.at(-1).graded.length).toBe(CLASS.length);

    const resumed = await grade(["--submissions", subs, "--out", out, "--jobs", "2", "--seed", NEW_SEED, "--resume"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const done = Number(/^Graded (\d+) submissions? in/m.exec(resumed.stdout)![1]);
    expect(done).toBe(CLASS.length - regraded); // exactly the ones not finished
    // Those graded before the stop had their type check cut short: only the check is run again.
    expect(resumed.stdout).toMatch(/^Type-checked \d+ submissions? whose check the stopped run had not finished\.$/m);
    for (const s of CLASS) expect(JSON.parse(record(s.id)).complete, s.id).toBe(true);
    const after = rows();
    expect(after.size).toBe(CLASS.length + 1);
    for (const s of CLASS) {
      expect(results(s.id).extra_data.grading_seed, s.id).toBe(Number(NEW_SEED));
      const expected = s.score; // misnamed too: graded again from the class folder
      expect(Number(after.get(shown(s.id))![col("score")]), s.id).toBe(expected);
    }
    expect(after.get("ada")![col("written")]).toBe("3");
    expect(fs.readFileSync(path.join(out, "report.html"), "utf8")).not.toMatch(/The last run was interrupted/);
    checkSendNowPages();
  }, hang(1_800_000));

  it("screenshots of report.html and both feedback pages (artifacts/), in English and in Chinese", async () => {
    const zh = path.join(tmp, "gradebook-zh");
    fs.cpSync(out, zh, { recursive: true });
    const r = await runNode(dist("cli.js"), ["--out", zh, "--refresh", "--lang", "zh"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^已按成绩册重新生成页面和表格/m);
    const artifacts = path.join(root, "artifacts");
    fs.mkdirSync(artifacts, { recursive: true });
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"] });
    try {
      const shots: [string, string][] = [
        [path.join(out, "report.html"), "gradebook-report.png"],
        [path.join(studentDir(out, "stubs-and-solved"), "feedback-visible.html"), "gradebook-feedback-visible.png"],
        [path.join(studentDir(out, "stubs-and-solved"), "feedback-full.html"), "gradebook-feedback-full.png"],
        [path.join(zh, "report.html"), "gradebook-report-zh.png"],
        [path.join(studentDir(zh, "stubs-and-solved"), "feedback-visible.html"), "gradebook-feedback-visible-zh.png"],
      ];
      for (const [file, name] of shots) {
        const p = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const errors: string[] = [];
        p.on("pageerror", (e) => errors.push(e.message));
        await p.goto(`file://${file}`);
        if (name.includes("report")) await p.waitForSelector("#histogram .main-svg", { timeout: hang(60_000) });
        await p.screenshot({ path: path.join(artifacts, name), fullPage: true });
        expect(errors, name).toEqual([]);
        expect(await p.locator("img").count(), name).toBe(0); // the HTML name stayed text
        await p.close();
      }
    } finally {
      await browser.close();
    }
    for (const f of ["gradebook-report.png", "gradebook-feedback-visible.png", "gradebook-feedback-full.png"]) expect(fs.statSync(path.join(artifacts, f)).size).toBeGreaterThan(10_000);
  }, hang(600_000));
});
