#!/usr/bin/env node
/**
 * The student copy of the course unit:
 *
 *   npm run release -- --out DIR
 *
 * Copies the notebooks, the library (src/), the exercise stubs, the public tests and the student
 * grader — and nothing of solutions/ or of the hidden tests:
 *
 * - solutions/, test/exercises/hidden/, the grader's own tests (which import the solutions), the
 *   instructor's tests and tools, benchmarks and fixture generators stay behind;
 * - the manifest (src/grader/manifest.ts) loses its hidden parts (their titles say what they test);
 * - the visible specs still compute expected values with the reference solutions: so they are run
 *   once, here, against the solutions, recording every reference call's arguments (hashed) and
 *   result into test/exercises/expected/<exercise>.json — the released grader looks them up instead
 *   (src/grader/spec/oracle.ts). Only visible specs run while recording, so the table holds
 *   the reference outputs for the public tests' own inputs, which anyone reading those specs could
 *   compute, and nothing about a hidden test.
 *
 * Then it checks the copy: no path of solutions/ or hidden tests, and no line of solution code.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { Command } from "commander";
import { GraderError, gradeSubmissions } from "./grade";
import { EXERCISES } from "./manifest";
import { projectRoot } from "./paths";
import { classroomWorkflow, WORKFLOW_PATH } from "./classroom-workflow";

/** What goes into the student copy (paths relative to the project root; folders whole). */
export const RELEASE_INCLUDE = [
  ".gitignore",
  "package-lock.json",
  "tsconfig.build.json",
  "vitest.config.mts",
  "notebooks",
  "src",
  "exercises",
  "scripts/link-self.js",
  "scripts/build-entries.js",
  "scripts/build-if-stale.js",
  "asm",
  "scripts/jupyter",
  "test/unit",
  "test/fixtures",
  "test/helpers",
  "test/notebooks",
  "test/exercises/support",
];

/** Never in the student copy, even inside an included folder. */
export const RELEASE_EXCLUDE = ["src/grader/release.ts", "src/grader/gradescope.ts"];

/** The copy's README.md: written for students, in student-copy/ (the project's README is the instructor's; docs/ is not released). */
export const STUDENT_README = "student-copy/README.md";

/** npm scripts of the instructor's project that make no sense (or do not work) in the student copy. */
export const INSTRUCTOR_SCRIPTS = ["release", "gradescope", "bench", "bench:grading", "bench:grade-loop", "bench:gradebook", "bench:notebooks", "test:instructor", "test:jupyter", "test:browser", "test:lab", "test:start", "test:busy", "fixtures", "lite", "lite:serve", "test:lite", "bench:lite"];

export interface ExpectedTable {
  exercise: string;
  functions: string[];
  calls: Record<string, Record<string, unknown>>;
}

/**
 * Runs the specs (visible, or only the hidden ones) against the reference solutions while recording
 * every call of a reference function; returns one table per exercise.
 */
export async function recordExpected(which: "visible" | "hidden"): Promise<Map<string, ExpectedTable>> {
  const root = projectRoot();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-record-"));
  try {
    const [result] = await gradeSubmissions([{ id: "reference", dir: path.join(root, "solutions"), display: "solutions" }], {
      hidden: which === "hidden",
      specs: which,
      jobs: 1,
      expected: { mode: "record", dir },
    });
    const failed = result.report.exercises.flatMap((e) =>
      e.parts.filter((p) => p.status !== "passed" && (which === "hidden") === p.hidden).map((p) => `${e.id}/${p.key}: ${p.output.en.split("\n")[0]}`),
    );
    if (failed.length) throw new GraderError(`the reference solutions do not pass their own ${which} specs, so nothing is recorded:\n  ${failed.join("\n  ")}`);
    const tables = new Map<string, ExpectedTable>();
    for (const e of EXERCISES) tables.set(e.id, { exercise: e.id, functions: [], calls: {} });
    for (const file of fs.readdirSync(dir)) {
      const exercise = file.replace(/\.\d+\.jsonl$/, "");
      const table = tables.get(exercise);
      if (!table) continue;
      for (const line of fs.readFileSync(path.join(dir, file), "utf8").split("\n")) {
        if (!line) continue;
        const { fn, key, value } = JSON.parse(line) as { fn: string; key: string; value: unknown };
        (table.calls[fn] ??= {})[key] = value;
        if (!table.functions.includes(fn)) table.functions.push(fn);
      }
    }
    for (const t of tables.values()) t.functions.sort();
    return tables;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function copyPath(from: string, to: string, excluded: Set<string>, root: string): void {
  const rel = path.relative(root, from).split(path.sep).join("/");
  if (excluded.has(rel)) return;
  const st = fs.lstatSync(from);
  if (st.isSymbolicLink()) return;
  if (st.isDirectory()) {
    fs.mkdirSync(to, { recursive: true });
    for (const name of fs.readdirSync(from)) {
      if (name === "node_modules" || name === ".ipynb_checkpoints" || name === ".DS_Store") continue;
      copyPath(path.join(from, name), path.join(to, name), excluded, root);
    }
  } else if (st.isFile()) {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
  }
}

/** The manifest without its hidden parts (one line each, `hidden: true`). */
export function studentManifest(source: string): string {
  const kept = source.split("\n").filter((line) => !/\bhidden:\s*true\b/.test(line));
  return kept.join("\n");
}

/** The text of the project's public files: what the release is made of (before anything is added). */
function publicText(root: string): Set<string> {
  const lines = new Set<string>();
  const add = (file: string) => {
    if (!/\.(ts|js|mts|md|ipynb|json)$/.test(file)) return;
    for (const l of fs.readFileSync(file, "utf8").split("\n")) lines.add(l.trim());
  };
  const walk = (p: string) => {
    if (!fs.existsSync(p) || RELEASE_EXCLUDE.includes(path.relative(root, p).split(path.sep).join("/"))) return;
    const st = fs.lstatSync(p);
    if (st.isDirectory()) for (const n of fs.readdirSync(p)) walk(path.join(p, n));
    else if (st.isFile()) add(p);
  };
  for (const p of RELEASE_INCLUDE) walk(path.join(root, p));
  for (const e of EXERCISES) add(path.join(root, "test", "exercises", `${e.id}.test.ts`));
  return lines;
}

/**
 * Lines of the reference solutions that are solution code: long enough to mean something, and found
 * nowhere in the project's public material (the stubs, the library, the public specs, the notebooks).
 */
export function solutionLines(root: string): { file: string; line: string }[] {
  const known = publicText(root);
  const out: { file: string; line: string }[] = [];
  for (const e of EXERCISES) {
    for (const raw of fs.readFileSync(path.join(root, "solutions", `${e.id}.ts`), "utf8").split("\n")) {
      const line = raw.trim();
      if (line.length < 20 || known.has(line) || /^(\/\/|\*|\/\*\*|import |export (interface|type) )/.test(line)) continue;
      out.push({ file: `solutions/${e.id}.ts`, line });
    }
  }
  return out;
}

/** Every file below `dir`, relative. */
export function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(p, base));
    else out.push(path.relative(base, p).split(path.sep).join("/"));
  }
  return out;
}

/** What in `dir` would leak solutions or hidden tests; [] when nothing. */
export function leaks(dir: string, root: string): string[] {
  const problems: string[] = [];
  const files = listFiles(dir);
  for (const f of files) {
    if (/^solutions\//.test(f) || /(^|\/)hidden\//.test(f) || /^test\/exercises\/grader\//.test(f) || /^test\/instructor\//.test(f)) problems.push(`${f}: must not be released`);
  }
  const lines = solutionLines(root);
  const hiddenTitles = EXERCISES.flatMap((e) => e.parts.filter((p) => p.hidden).flatMap((p) => [p.title.zh, p.title.en, p.key]));
  for (const f of files) {
    if (!/\.(ts|js|mts|json|md|ipynb|txt|html|yml|yaml)$/.test(f)) continue;
    const text = fs.readFileSync(path.join(dir, f), "utf8");
    for (const { file, line } of lines) if (text.includes(line)) problems.push(`${f}: holds a line of ${file}: ${line.slice(0, 80)}`);
    if (!f.startsWith("test/exercises/expected/")) for (const t of hiddenTitles) if (text.includes(t)) problems.push(`${f}: names a hidden test: ${t}`);
  }
  return problems;
}

export async function release(outDir: string, log: (s: string) => void = () => undefined): Promise<{ files: number; calls: number }> {
  const root = projectRoot();
  const out = path.resolve(outDir);
  if (fs.existsSync(out) && fs.readdirSync(out).length > 0) throw new GraderError(`${outDir} exists and is not empty: give a new folder for the student copy`);
  const rel = path.relative(root, out);
  if (!rel.startsWith("..") && !path.isAbsolute(rel) && !rel.startsWith("grade")) {
    throw new GraderError(`${outDir} is inside the project: give a folder outside it (or below grade/, which git ignores)`);
  }
  log("recording the expected values of the visible tests (the specs against the reference solutions) …");
  const tables = await recordExpected("visible");
  fs.mkdirSync(out, { recursive: true });
  const excluded = new Set(RELEASE_EXCLUDE);
  for (const p of RELEASE_INCLUDE) {
    const from = path.join(root, p);
    if (fs.existsSync(from)) copyPath(from, path.join(out, p), excluded, root);
  }
  fs.copyFileSync(path.join(root, STUDENT_README), path.join(out, "README.md"));
  // The visible specs (the hidden ones and the grader's own tests stay behind).
  for (const e of EXERCISES) {
    const spec = `test/exercises/${e.id}.test.ts`;
    fs.copyFileSync(path.join(root, spec), path.join(out, spec));
  }
  fs.writeFileSync(path.join(out, "src/grader/manifest.ts"), studentManifest(fs.readFileSync(path.join(root, "src/grader/manifest.ts"), "utf8")));
  const expectedDir = path.join(out, "test/exercises/expected");
  fs.mkdirSync(expectedDir, { recursive: true });
  let calls = 0;
  for (const [id, table] of tables) {
    if (table.functions.length === 0) continue;
    calls += Object.values(table.calls).reduce((s, c) => s + Object.keys(c).length, 0);
    fs.writeFileSync(path.join(expectedDir, `${id}.json`), `${JSON.stringify(table)}\n`);
  }
  // package.json: the student's scripts; `npm test` runs the library's tests (the graded specs run
  // through `npm run grade`, against the student's own exercises/).
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
  for (const s of INSTRUCTOR_SCRIPTS) delete pkg.scripts[s];
  pkg.scripts.test = "npm run build && npm run typecheck && vitest run test/unit test/notebooks";
  fs.writeFileSync(path.join(out, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  // tsconfig.json: the graded specs import ../../solutions (replaced by recorded values when they run).
  const tsconfig = JSON.parse(fs.readFileSync(path.join(root, "tsconfig.json"), "utf8")) as { include: string[]; exclude?: string[] };
  tsconfig.include = tsconfig.include.filter((p) => p !== "solutions");
  tsconfig.exclude = [...(tsconfig.exclude ?? []), "test/exercises/*.test.ts", "dist", "node_modules"];
  fs.writeFileSync(path.join(out, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`);
  // GitHub Classroom: the workflow that grades every push with the visible tests (./classroom-workflow.ts).
  fs.mkdirSync(path.dirname(path.join(out, WORKFLOW_PATH)), { recursive: true });
  fs.writeFileSync(path.join(out, WORKFLOW_PATH), classroomWorkflow());
  const problems = leaks(out, root);
  if (problems.length) throw new GraderError(`the student copy would leak:\n  ${problems.slice(0, 20).join("\n  ")}`);
  return { files: listFiles(out).length, calls };
}

/**
 * The class's JupyterLite site, built from the student copy `copy` (lite/build.js --from: its
 * notebooks, stubs and grader, the instructor's JupyterLab bundle), then leak-checked like the copy.
 */
export function releaseSite(copy: string, siteDir: string): { files: number } {
  const root = projectRoot();
  const site = path.resolve(siteDir);
  const built = spawnSync(process.execPath, [path.join(root, "lite", "build.js"), "--from", path.resolve(copy), "--out", site], { stdio: "inherit" });
  if (built.status !== 0) throw new GraderError(`the student site could not be built (lite/build.js exited with ${built.status ?? built.signal})`);
  const problems = leaks(site, root);
  if (problems.length) throw new GraderError(`the student site would leak:\n  ${problems.slice(0, 20).join("\n  ")}`);
  return { files: listFiles(site).length };
}

async function main(argv: string[]): Promise<number> {
  const program = new Command()
    .name("release")
    .description("Write the student copy: notebooks, src, exercise stubs, public tests and the student grader — no solutions, no hidden tests.")
    .requiredOption("-o, --out <dir>", "a new (or empty) folder for the student copy")
    .option("--site <dir>", "also build the class's JupyterLite site (npm run lite) from the student copy into <dir>")
    .exitOverride();
  try {
    program.parse(argv);
  } catch (e) {
    return (e as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
  const { out, site } = program.opts<{ out: string; site?: string }>();
  try {
    const r = await release(out, (s) => process.stdout.write(`${s}\n`));
    process.stdout.write(
      `Student copy: ${path.resolve(out)} (${r.files} files; ${r.calls} recorded expected values of the visible tests).\n` +
        `Checked: no solutions/, no hidden tests, no line of solution code.\nIn the copy: npm ci && npm run grade\n`,
    );
    if (site) {
      const w = releaseSite(out, site);
      process.stdout.write(`Student site: ${path.resolve(site)} (${w.files} files), checked the same way. Serve it: npm run lite:serve -- ${site}\n`);
    }
    return 0;
  } catch (e) {
    process.stderr.write(`release: ${e instanceof GraderError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv).then((code) => process.exit(code));
}
