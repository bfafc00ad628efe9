/**
 * The gradebook's parts that need no grading run (src/grader/gradebook/, export/, pages/), against
 * hand-worked cases and properties: folder names, late work, rosters, manual points (the TA's edits
 * are never touched), the LMS files, and the send-now page — which must say nothing of a hidden part
 * whatever the hidden parts did.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { studentDirName, type StudentRecord } from "../../../src/grader/gradebook/record";
import { lateness, parsePolicy, parseTime } from "../../../src/grader/export/late";
import { readRoster } from "../../../src/grader/export/roster";
import { MANUAL_FILE, readManual, syncManualFile, writtenQuestions } from "../../../src/grader/gradebook/manual";
import { canvasCsv, moodleCsv } from "../../../src/grader/export/lms";
import { makeRows, type Row } from "../../../src/grader/gradebook/rows";
import { visiblePage, fullPage } from "../../../src/grader/pages/feedback";
import { answersPage } from "../../../src/grader/pages/answers";
import { hidePaths } from "../../../src/grader/gradebook/publish";
import { applyLate, submissionTimes } from "../../../src/grader/gradescope";
import { scoreSubmission, visibleOnly } from "../../../src/grader/scoring";
import { toGradescope } from "../../../src/grader/results";
import { EXERCISES, type ExerciseId } from "../../../src/grader/manifest";
import type { PartRecord } from "../../../src/grader/records";

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-gradebook-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, text);
  return f;
};

describe("a student's folder in the gradebook", () => {
  it("a plain lower-case name is kept; anything else gets a hash, so names differing in case never share a folder", () => {
    expect(studentDirName("ann")).toBe("ann");
    expect(studentDirName("report.html")).toBe("report.html");
    expect(studentDirName("Ann")).toMatch(/^ann~[0-9a-f]{10}$/);
    expect(studentDirName("<script>alert(1)</script>")).toMatch(/^script-alert-1-script~[0-9a-f]{10}$/);
    expect(studentDirName("..")).toMatch(/^_~[0-9a-f]{10}$/);
    expect(studentDirName("王小明")).toMatch(/^_~[0-9a-f]{10}$/);
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ minLength: 1, maxLength: 20 }), (a, b) => {
        const [da, db] = [studentDirName(a), studentDirName(b)];
        for (const d of [da, db]) expect(d).toMatch(/^[a-z0-9._~-]+$/);
        for (const d of [da, db]) expect(d === "." || d === "..").toBe(false);
        if (a !== b) expect(da.toLowerCase()).not.toBe(db.toLowerCase());
      }),
    );
  });
});

describe("late work", () => {
  const d = parseTime("2026-12-01T23:59:00+08:00", "deadline");
  const at = (iso: string) => new Date(iso);
  it("counts a started day as a day; the policy takes its percentage per day, never below zero", () => {
    const p10 = { policy: parsePolicy("10%"), graceMinutes: 0 };
    expect(lateness(at("2026-12-01T23:58:59+08:00"), d, p10)).toEqual({ days: 0, seconds: 0, penalty: 0 });
    expect(lateness(at("2026-12-02T00:59:00+08:00"), d, p10)).toMatchObject({ days: 1, seconds: 3600, penalty: 0.1 });
    expect(lateness(at("2026-12-03T00:59:00+08:00"), d, p10)).toMatchObject({ days: 2, penalty: 0.2 });
    expect(lateness(at("2026-12-20T00:00:00+08:00"), d, p10).penalty).toBe(1);
    expect(lateness(at("2026-12-02T00:09:00+08:00"), d, { policy: parsePolicy("zero"), graceMinutes: 15 })).toMatchObject({ days: 0, penalty: 0 });
    expect(lateness(at("2026-12-02T00:19:00+08:00"), d, { policy: parsePolicy("zero"), graceMinutes: 15 })).toMatchObject({ days: 1, penalty: 1 });
    expect(lateness(at("2026-12-05T00:00:00+08:00"), d, { policy: parsePolicy("none"), graceMinutes: 0 })).toMatchObject({ days: 4, penalty: 0 });
  });
  it("policies are read as written and refused otherwise", () => {
    expect(parsePolicy("12.5%/day")).toEqual({ kind: "percent", perDay: 12.5 });
    expect(parsePolicy("5 % per day")).toEqual({ kind: "percent", perDay: 5 });
    for (const bad of ["", "10", "150%", "-5%", "half"]) expect(() => parsePolicy(bad), bad).toThrow(/give none, zero, or a percentage/);
    expect(() => parseTime("next friday", "--deadline")).toThrow(/is not a date and time/);
  });
});

describe("the roster", () => {
  it("reads Excel's CSV (BOM, CRLF, quoted commas) and common header names", () => {
    const f = write("roster.csv", '\uFEFFGitHub Username,Roster Identifier,Full Name,Email Address,Submitted At\r\nann,S001,"Lee, Ann",ann@u.edu,2026-12-01T10:00:00Z\r\nben,S002,Ben,ben@u.edu,yesterday\r\nann,S003,Dup,d@u.edu,\r\n,S004,No folder,,\r\n');
    const r = readRoster(f);
    expect(r.entries).toEqual([
      { folder: "ann", id: "S001", name: "Lee, Ann", email: "ann@u.edu", section: "", submittedAt: "2026-12-01T10:00:00Z", dueAt: "" },
      { folder: "ben", id: "S002", name: "Ben", email: "ben@u.edu", section: "", submittedAt: "", dueAt: "" },
    ]);
    expect(r.warnings).toEqual([
      'roster line 3: submitted_at "yesterday" is not a date and time (write 2026-12-01T23:59+08:00) — left out',
      'roster line 4: the folder "ann" is on the roster twice — the first line is used',
      "roster line 5: no folder name — left out",
    ]);
  });
  it("without a folder or id column it says which names it looks for", () => {
    expect(() => readRoster(write("bad.csv", "name,email\nAnn,a@u\n"))).toThrow(/needs a column for the submission folder \(folder, submission, login.*its header is: name, email/);
  });
});

function record(id: string, score = 10, state: "missing" | "edited" = "missing"): StudentRecord {
  const exercises = Object.fromEntries(EXERCISES.map((e) => [e.id, { state, from: state === "edited" ? `${e.id}.ts` : "", sha256: "" }])) as StudentRecord["exercises"];
  const report = scoreSubmission({ target: "exercises", hidden: true, exercises: EXERCISES, records: new Map(), unreported: { zh: "没有运行", en: "not run" }, runWarnings: [], notes: [], budgetSeconds: 300, executionTime: 1, seed: 1 });
  return { format: 1, id, dir: studentDirName(id), gradedAt: "2026-12-01T00:00:00.000Z", filesHash: "", settingsHash: "", seed: 1, complete: true, exercises, fileNotes: [], syntaxErrors: {}, report: { ...report, score } };
}

describe("the feedback pages", () => {
  it("say the type-error policy only where there are type errors", () => {
    const plain = record("ann");
    const typed = { ...plain, report: { ...plain.report, typecheck: { errors: { "min-pool.ts": ["min-pool.ts:3:7 error TS2322: Type 'string' is not assignable to type 'number'."] } } } };
    const [a, b] = makeRows([plain, typed], new Map(), null, null, { byStudent: new Map(), max: new Map(), maxTotal: 0, warnings: [] });
    for (const make of [(r: Row) => visiblePage(r, "en"), (r: Row) => fullPage(r, "en", { maxTotal: 0 })]) {
      expect(make(a)).not.toContain("Type errors do not cost points");
      expect(make(b)).toContain("Type errors do not cost points");
    }
  });
});

describe("points for written answers, by hand", () => {
  it("the answers page says why an answer was not read (a syntax error, a misnamed file), not just 'no answer'", () => {
    const broken = { ...record("ann"), syntaxErrors: { "softmax-pool": "syntax error: ')' expected" } };
    const misnamed = { ...record("ben"), fileNotes: [{ file: "MinPool.ts", why: { zh: "没有评分：是不是 min-pool.ts？请改名", en: "not graded: did you mean min-pool.ts? Rename it" } }] };
    const none = { points: 0, graded: 0, comments: new Map(), byQuestion: new Map() };
    const rows = makeRows([broken, misnamed, record("cy")], new Map(), null, null, { byStudent: new Map([["ann", none]]), max: new Map(), maxTotal: 0, warnings: [] });
    const html = answersPage(rows, writtenQuestions(), { byStudent: new Map(), max: new Map(), maxTotal: 0, warnings: [] }, "en");
    expect(html).toContain("(not read: softmax-pool.ts has a syntax error; the answer may be in it — open the submission)");
    expect(html).toContain("(not read: MinPool.ts was not graded — not graded: did you mean min-pool.ts? Rename it)");
    expect(html).toContain("(no answer)"); // cy, and ann's other questions
  });

  it("the file is made once, then only appended to: a row the TA wrote is never changed", () => {
    const out = fs.mkdtempSync(path.join(tmp, "book-"));
    const q = writtenQuestions();
    expect(q.map((x) => x.key)).toEqual(["max-pool-not-linear/answer", "max-vs-avg/answer", "min-pool/need", "min-pool/answer", "softmax-pool/answer"]);
    expect(syncManualFile(out, [record("ann"), record("ben")])).toBe(10);
    const file = path.join(out, MANUAL_FILE);
    // The TA grades two answers (and saves from a spreadsheet: LF line ends, a comment with a comma).
    const edited = fs.readFileSync(file, "utf8").replace("ann,max-vs-avg/answer,,,", 'ann,max-vs-avg/answer,3,4,"good, but short"').replace("ben,min-pool/need,,,", "ben,min-pool/need,2,2,");
    fs.writeFileSync(file, edited);
    expect(syncManualFile(out, [record("ann"), record("ben")])).toBe(0);
    expect(fs.readFileSync(file, "utf8")).toBe(edited);
    expect(syncManualFile(out, [record("ann"), record("ben"), record("cy")])).toBe(5);
    expect(fs.readFileSync(file, "utf8").startsWith(edited)).toBe(true);
    const m = readManual(out, new Set(["ann", "ben", "cy"]));
    expect(m.byStudent.get("ann")).toMatchObject({ points: 3, graded: 1 });
    expect(m.byStudent.get("ann")!.comments.get("max-vs-avg/answer")).toBe("good, but short");
    expect(m.byStudent.get("ben")).toMatchObject({ points: 2, graded: 1 });
    expect(m.maxTotal).toBe(6);
    expect(m.warnings).toEqual([]);
  });
  it("names a spreadsheet would run or a terminal would obey are matched as the sheet shows them, and not appended twice", () => {
    const out = fs.mkdtempSync(path.join(tmp, "book-"));
    const ids = ["=HYPERLINK(1)", "esc\x1b[31m", "@sum"];
    expect(syncManualFile(out, ids.map((id) => record(id)))).toBe(15);
    const file = path.join(out, MANUAL_FILE);
    expect(fs.readFileSync(file, "utf8")).toContain("'=HYPERLINK(1),max-vs-avg/answer,,,");
    expect(fs.readFileSync(file, "utf8")).toContain("esc\\x1b[31m,max-vs-avg/answer,,,");
    expect(syncManualFile(out, ids.map((id) => record(id)))).toBe(0);
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("'=HYPERLINK(1),max-vs-avg/answer,,,", "'=HYPERLINK(1),max-vs-avg/answer,2,2,").replace("esc\\x1b[31m,min-pool/need,,,", "esc\\x1b[31m,min-pool/need,1,1,"));
    const m = readManual(out, new Set(ids));
    expect(m.warnings).toEqual([]);
    expect(m.byStudent.get("=HYPERLINK(1)")?.points).toBe(2);
    expect(m.byStudent.get("esc\x1b[31m")?.points).toBe(1);
  });

  it("says what it cannot use: unknown students and questions, cells that are not points, points above the maximum", () => {
    const out = fs.mkdtempSync(path.join(tmp, "book-"));
    fs.writeFileSync(path.join(out, MANUAL_FILE), "student,question,points,max_points,comment\nzed,max-vs-avg/answer,1,2,\nann,nope,1,,\nann,min-pool/need,lots,,\nann,max-vs-avg/answer,5,2,\n");
    const m = readManual(out, new Set(["ann"]));
    expect(m.warnings).toEqual([
      'manual-points.csv line 2: no student "zed" in the gradebook — left out',
      expect.stringMatching(/^manual-points\.csv line 3: no question "nope" \(the questions are max-pool-not-linear\/answer, /),
      'manual-points.csv line 4: "lots" is not a number of points ≥ 0 — left out',
      'manual-points.csv: "ann" has 5 points for max-vs-avg/answer, more than its max_points 2 — left out',
    ]);
    // Left out, not capped: ann has no points from that row (a TA's 5 on a 2-point question is not guessed at).
    expect(m.byStudent.get("ann")?.points ?? 0).toBe(0);
    expect(m.byStudent.get("ann")?.byQuestion.has("max-vs-avg/answer") ?? false).toBe(false);
  });
});

describe("exports to an LMS", () => {
  it("canvas.csv and moodle.csv, worked by hand: final scores by SIS id, an empty cell for no submission", () => {
    const roster = [
      { folder: "ann", id: "S001", name: "Lee, Ann", email: "ann@u.edu", section: "A", submittedAt: "2026-12-02T10:00:00+08:00", dueAt: "" },
      { folder: "ben", id: "S002", name: "Ben", email: "ben@u.edu", section: "A", submittedAt: "", dueAt: "" },
    ];
    const rule = { deadline: "2026-12-01T23:59:00+08:00", policy: parsePolicy("10%"), graceMinutes: 0 };
    const manual = { byStudent: new Map([["ann", { points: 4, graded: 1, comments: new Map(), byQuestion: new Map() }]]), max: new Map([["max-vs-avg/answer", 6]]), maxTotal: 6, warnings: [] };
    const rows = makeRows([record("ann", 100)], new Map(), roster, rule, manual);
    expect(rows[0]).toMatchObject({ score: 100, final: 93.6, finalMax: 120 }); // (100 + 4) × 0.9
    expect(rows[0].flags.map((f) => f.text.en)).toEqual(["late 10 h, −10%"]);
    const missing = [roster[1]];
    expect(canvasCsv(rows, missing, "Pooling", 120)).toBe(
      'Student,ID,SIS User ID,SIS Login ID,Section,Pooling\r\nPoints Possible,,,,,120\r\n"Lee, Ann",,S001,ann@u.edu,A,93.6\r\nBen,,S002,ben@u.edu,A,\r\n',
    );
    expect(moodleCsv(rows, missing, "Pooling")).toBe("ID number,Email address,Pooling\r\nS001,ann@u.edu,93.6\r\nS002,ben@u.edu,\r\n");
  });
});

describe("the page to send now", () => {
  const visibleParts = EXERCISES.flatMap((e) => e.parts.filter((p) => !p.hidden).map((p) => ({ e, p })));
  const hiddenParts = EXERCISES.flatMap((e) => e.parts.filter((p) => p.hidden).map((p) => ({ e, p })));

  it("says nothing of a hidden part — title, input, value, time, warning or grade — whatever the hidden parts did", () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: visibleParts.length, maxLength: visibleParts.length }),
        fc.array(fc.constantFrom("passed", "failed", "timeout", "budget"), { minLength: hiddenParts.length, maxLength: hiddenParts.length }),
        fc.double({ min: 0, max: 200, noNaN: true }),
        (visiblePass, hiddenHow, hiddenSeconds) => {
          const records = new Map<string, PartRecord>();
          visibleParts.forEach(({ e, p }, i) => records.set(`${e.id}/${p.key}`, { exercise: e.id as ExerciseId, part: p.key, state: visiblePass[i] ? "passed" : "failed", failure: visiblePass[i] ? null : { message: { zh: "visible-failure-text", en: "visible-failure-text" }, cause: "check", notStarted: false, budgetUsedUp: false }, answers: [] }));
          hiddenParts.forEach(({ e, p }, i) => {
            const how = hiddenHow[i];
            records.set(`${e.id}/${p.key}`, {
              exercise: e.id as ExerciseId,
              part: p.key,
              state: how === "passed" ? "passed" : "failed",
              failure: how === "passed" ? null : { message: { zh: `SECRET-${i} 应为 -Infinity，实际是 0`, en: `SECRET-${i} expected -Infinity, got 0` }, cause: how === "timeout" ? "timeout" : "check", notStarted: false, budgetUsedUp: how === "budget" },
              answers: [],
            });
          });
          const report = scoreSubmission({ target: "exercises", hidden: true, exercises: EXERCISES, records, unreported: { zh: "没有运行", en: "not run" }, runWarnings: [], notes: [], budgetSeconds: 300, executionTime: 7.25 + hiddenSeconds, seed: 99 });
          const rec: StudentRecord = { ...record("ann", 0, "edited"), report };
          const row: Row = makeRows([rec], new Map(), null, null, { byStudent: new Map(), max: new Map(), maxTotal: 0, warnings: [] })[0];
          for (const lang of ["en", "zh"] as const) {
            const html = visiblePage(row, lang);
            expect(html).not.toMatch(/SECRET|stopped after 300|hidden test<|隐藏测试<|seed|种子/);
            if (visiblePass.includes(false)) expect(html).toContain("visible-failure-text"); // the parts are shown
            for (const { p } of hiddenParts) expect(html).not.toContain(p.title[lang].replace(/'/g, "&#39;"));
            expect(html).not.toMatch(/\d\.\d s\b|\d\.\d 秒/); // no duration: it would include the hidden parts' time
            expect(html).not.toContain(`/${report.max} `);
            // The same report with other hidden outcomes gives the same page: it depends on visible parts only.
            const noHidden = scoreSubmission({ target: "exercises", hidden: true, exercises: EXERCISES, records: new Map([...records].filter(([k]) => !hiddenParts.some(({ e, p }) => k === `${e.id}/${p.key}`))), unreported: { zh: "x", en: "x" }, runWarnings: [], notes: [], budgetSeconds: 300, executionTime: 1, seed: 5 });
            expect(visiblePage({ ...row, record: { ...rec, report: noHidden } }, lang)).toBe(html);
          }
          const gs = toGradescope(report);
          expect(gs.output).not.toMatch(/SECRET|stopped after 300/);
          expect(gs.execution_time).toBeUndefined();
          expect(gs.output).not.toMatch(/\d\.\d s\b|\d\.\d 秒/);
          expect(visibleOnly(report).max).toBe(100);
          expect(fullPage(row, "en", { maxTotal: 0 })).toContain(`Grade: ${report.score}/114 points`);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("paths of the grading machine are taken out of every page", () => {
    const t = `${os.tmpdir()}/d2l-grade-AbC123/subs/3/run/min-pool.js:4 and /work/proj/solutions/x.ts`;
    expect(hidePaths(t, ["/work/proj"])).toBe("…/subs/3/run/min-pool.js:4 and …/solutions/x.ts");
  });
});

describe("late work on Gradescope", () => {
  it("reads Gradescope's submission_metadata.json (an extension first) and lowers the score, saying so", () => {
    const root = fs.mkdtempSync(path.join(tmp, "ag-"));
    fs.writeFileSync(
      path.join(root, "submission_metadata.json"),
      JSON.stringify({ created_at: "2026-12-03T10:00:00.123456-08:00", assignment: { due_date: "2026-12-01T23:59:00.000000-08:00" }, users: [{ assignment: { due_date: "2026-12-02T23:59:00-08:00" } }] }),
    );
    const times = submissionTimes(root)!;
    expect(times.due.toISOString()).toBe("2026-12-03T07:59:00.000Z");
    const gs = { score: 100, output: "table" };
    applyLate(gs, times, parsePolicy("10%"), "en");
    expect(gs).toEqual({ score: 90, output: "Submitted 1 day late (late policy 10%/day): score 100 → 90\n\ntable" });
    const none = { score: 100, output: "table" };
    applyLate(none, times, parsePolicy("none"), "en");
    expect(none.score).toBe(100);
    expect(submissionTimes(path.join(tmp, "nowhere"))).toBeNull();
  });
});
