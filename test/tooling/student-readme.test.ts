/**
 * The student copy's README (student-copy/README.md, copied by `npm run release`) names only what the
 * copy has: npm scripts the copy's package.json keeps, links to files the release copies, options the
 * grader takes, and the points the manifest declares. (test/instructor/release.suite.ts checks the
 * same on a real release and runs the commands there.)
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { EXERCISES, maxScore, notebookNumber } from "../../src/grader/manifest";
import { projectRoot } from "../../src/grader/paths";
import { INSTRUCTOR_SCRIPTS, RELEASE_EXCLUDE, RELEASE_INCLUDE, STUDENT_README } from "../../src/grader/release";
import { npmCommands, relativeLinks } from "./markdown";

const root = projectRoot();
const readme = fs.readFileSync(path.join(root, STUDENT_README), "utf8");

/** Whether the release copies this project path (a file or a folder). */
function released(rel: string): boolean {
  const p = rel.replace(/\/$/, "");
  if (["README.md", "package.json", "tsconfig.json"].includes(p)) return true; // the release writes these
  if (RELEASE_EXCLUDE.includes(p)) return false;
  if (/^test\/exercises\/[\w-]+\.test\.ts$/.test(p)) return EXERCISES.some((e) => p === `test/exercises/${e.id}.test.ts`);
  return RELEASE_INCLUDE.some((inc) => p === inc || p.startsWith(`${inc}/`) || inc.startsWith(`${p}/`));
}

describe("the student README (student-copy/README.md)", () => {
  it("names only npm scripts the student copy keeps", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
    const kept = Object.keys(pkg.scripts).filter((s) => !INSTRUCTOR_SCRIPTS.includes(s));
    const named = npmCommands(readme);
    expect(named).toEqual(expect.arrayContaining(["ci", "start", "grade", "test"]));
    for (const n of named) if (n !== "ci") expect(kept, `npm ${n}`).toContain(n);
  });

  it("every npm script the copy keeps runs only files the release copies", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
    const kept = Object.entries(pkg.scripts).filter(([s]) => !INSTRUCTOR_SCRIPTS.includes(s));
    expect(kept.length).toBeGreaterThan(5);
    for (const [name, command] of kept) {
      // `node test/browser/lab-browser.js`, `vitest run test/unit`, `tsc -p tsconfig.build.json`: project paths.
      const paths = (command.match(/(?:^|\s)((?:scripts|test|src|asm|bench|exercises|notebooks)\/[\w./-]*|[\w.-]+\.json)/g) ?? []).map((p) => p.trim());
      for (const p of paths) expect(released(p), `npm run ${name}: ${p} is in the student copy`).toBe(true);
    }
  });

  it("links only files and folders the release copies, and they exist", () => {
    const links = relativeLinks(readme);
    expect(links.length).toBeGreaterThan(8);
    for (const l of links) {
      expect(fs.existsSync(path.join(root, l)), `${l} exists`).toBe(true);
      expect(released(l), `${l} is in the student copy`).toBe(true);
    }
    // Paths in code spans too (`exercises/`, `src/`, …), except what the student's own run writes.
    const spans = [...readme.matchAll(/`((?:exercises|notebooks|src|test|scripts)\/[\w./-]*)`/g)].map((m) => m[1]);
    for (const s of spans) expect(released(s) && fs.existsSync(path.join(root, s)), `\`${s}\``).toBe(true);
  });

  it("the grader options it shows exist", () => {
    const help = spawnSync(process.execPath, [path.join(root, "dist", "grader", "cli.js"), "--help"], { encoding: "utf8" });
    expect(help.status).toBe(0);
    const options = [...readme.matchAll(/npm run grade -- ((?:--[\w-]+ ?[\w-]* ?)+)/g)].flatMap((m) => m[1].match(/--[\w-]+/g) ?? []);
    expect(options).toContain("--exercise");
    for (const o of options) expect(help.stdout, o).toContain(o);
  });

  it("lists every exercise with its number in each notebook, its book, and its visible points (100 in all)", () => {
    const rows = [...readme.matchAll(/^\| \[exercises\/([\w-]+)\.ts\]\(exercises\/\1\.ts\) \| 练习 (\d+) \| Exercise (\d+) \| ([^|]+) \| (\d+) \|$/gm)];
    expect(rows.map((r) => r[1])).toEqual(EXERCISES.map((e) => e.id));
    for (const [, id, zh, en, from, points] of rows) {
      const e = EXERCISES.find((x) => x.id === id)!;
      const books = [e.zh !== null ? `d2l-zh ${e.zh}` : null, e.en !== null ? `d2l-en ${e.en}` : null].filter(Boolean).join(", ");
      expect([Number(zh), Number(en), from.trim(), Number(points)], id).toEqual([notebookNumber(e, "zh"), notebookNumber(e, "en"), books, maxScore(e, false)]);
    }
    expect(readme).toMatch(/\| \| \| \| \| \*\*100\*\* \|/);
    expect(EXERCISES.reduce((s, e) => s + maxScore(e, false), 0)).toBe(100);
  });

  it("is bilingual: every section has Chinese and English", () => {
    const sections = readme.split(/^## /m);
    expect(sections.length).toBeGreaterThan(4);
    for (const s of sections) {
      const title = s.split("\n")[0];
      expect(s, title).toMatch(/[\u4e00-\u9fff]{4}/);
      expect((s.match(/\b[A-Za-z]{4,}\b/g) ?? []).length, title).toBeGreaterThan(15);
    }
  });

  it("says nothing of the instructor's side (solutions, hidden test files, Gradescope, benchmarks)", () => {
    expect(readme).not.toMatch(/solutions\/|test\/exercises\/hidden|gradescope|bench|npm run release|--submissions|--hidden/i);
  });
});
