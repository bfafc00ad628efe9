#!/usr/bin/env node
/**
 * Benchmark of what the gradebook adds around grading (issue 20), for a class of N students (default
 * 200): collecting every submission (folders in three layouts and zips, ./src/grader/collect/) and
 * making every page and sheet from N records (./src/grader/gradebook/publish.ts) — the work a
 * `--resume` that finds nothing changed, or a `--refresh`, does. Grading itself: bench/grading.js.
 *
 *   npm run build && node bench/gradebook.js [--students 200]
 */
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const root = path.resolve(__dirname, "..");
const { collectStudent, loadStubs } = require(path.join(root, "dist/grader/collect/collect.js"));
const { listClass } = require(path.join(root, "dist/grader/collect/class.js"));
const { Gradebook } = require(path.join(root, "dist/grader/gradebook/book.js"));
const { publish } = require(path.join(root, "dist/grader/gradebook/publish.js"));
const { studentDirName, writeRecord } = require(path.join(root, "dist/grader/gradebook/record.js"));
const { scoreSubmission } = require(path.join(root, "dist/grader/scoring.js"));
const { EXERCISES } = require(path.join(root, "dist/grader/manifest.js"));
const AdmZip = require("adm-zip");

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const students = arg("students", 200);
const work = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-bench-gradebook-"));
const subs = path.join(work, "submissions");
const read = (dir, id) => fs.readFileSync(path.join(root, dir, `${id}.ts`));

for (let i = 0; i < students; i++) {
  const id = `s${String(i).padStart(3, "0")}`;
  const layout = i % 4;
  if (layout === 3) {
    const zip = new AdmZip();
    for (const e of EXERCISES) zip.addFile(`pooling-student/exercises/${e.id}.ts`, read("solutions", e.id));
    zip.addFile("pooling-student/README.md", Buffer.from("# notes"));
    zip.writeZip(path.join(subs, `${id}.zip`));
    continue;
  }
  const dir = path.join(subs, id, layout === 1 ? "exercises" : "");
  fs.mkdirSync(dir, { recursive: true });
  for (const e of EXERCISES) fs.writeFileSync(path.join(dir, `${e.id}.ts`), read(i % 3 ? "solutions" : "exercises", e.id));
  if (layout === 2) fs.writeFileSync(path.join(dir, "notes.md"), "# notes");
}

const stubs = loadStubs(root);
const t0 = process.hrtime.bigint();
const members = listClass(subs).students;
(async () => {
  const collected = [];
  for (const [i, m] of members.entries()) collected.push(await collectStudent(m, path.join(work, "stage", String(i)), stubs));
  const t1 = process.hrtime.bigint();
  const out = path.join(work, "gradebook");
  const book = Gradebook.open(out, out);
  book.lock(out);
  const report = scoreSubmission({ target: "exercises", hidden: true, exercises: EXERCISES, records: new Map(), unreported: "not run", runWarnings: [], notes: [], budgetSeconds: 300, executionTime: 1, seed: 1 });
  members.forEach((m, i) =>
    writeRecord(out, { format: 1, id: m.id, dir: studentDirName(m.id), gradedAt: new Date().toISOString(), filesHash: collected[i].filesHash, settingsHash: "", seed: 1, complete: true, exercises: collected[i].exercises, fileNotes: collected[i].notes, syntaxErrors: {}, report }),
  );
  const t2 = process.hrtime.bigint();
  publish(book, { lang: "en", root, hide: [root, out] });
  const t3 = process.hrtime.bigint();
  const s = (a, b) => (Number(b - a) / 1e9).toFixed(2);
  console.log(`bench:gradebook — ${students} students (folders at the top, in exercises/, with notes; zips with a wrapper folder)`);
  console.log(`  collect: ${s(t0, t1)} s   write records: ${s(t1, t2)} s   publish (pages, sheets, report): ${s(t2, t3)} s`);
  console.log(`  load average: ${os.loadavg().map((x) => x.toFixed(2)).join(", ")}`);
  fs.rmSync(work, { recursive: true, force: true });
})();
