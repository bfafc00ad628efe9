#!/usr/bin/env node
/**
 * Gradescope: one container per submission, so a course of any size scales out.
 *
 *   npm run gradescope -- --out autograder.zip       # the autograder bundle to upload
 *
 * The zip holds `setup.sh` and `run_autograder` at its root and the instructor's project (library,
 * grader, stubs, reference solutions, visible and hidden specs). Gradescope unpacks it into
 * /autograder/source and runs setup.sh once (Node 20, `npm ci`, which builds); then, for each
 * submission, run_autograder, which calls
 *
 *   node dist/grader/gradescope.js run            (AUTOGRADER_ROOT, default /autograder)
 *
 * That collects /autograder/submission as a batch collects a student's folder (./collect/: the
 * exercise files at its top, in exercises/ or a wrapper folder — those that differ from the released
 * stubs — zips read under the caps, every other file noted), grades them exactly as
 * `npm run grade -- --submissions` does (sandbox, hidden tests, type check), and writes
 * /autograder/results/results.json: the visible parts' table, time and notes at the top (shown at
 * once), hidden parts `after_published`. With a late policy in the bundle, the time in Gradescope's
 * /autograder/submission_metadata.json (never a file of the student's) is held to the due date.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import AdmZip from "adm-zip";
import { Command } from "commander";
import { gradeBatch, studentDir } from "./batch";
import { GraderError } from "./grade";
import { EXERCISES } from "./manifest";
import { projectRoot } from "./paths";
import { inLang, langFromEnv, parseLang, text, type Lang } from "./i18n";
import { lateness, parsePolicy, policyName, type LatePolicy } from "./export/late";

/** The instructor's project files the autograder needs (relative to the root; folders whole). */
export const BUNDLE_INCLUDE = [
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "tsconfig.build.json",
  "src",
  "asm",
  "scripts/link-self.js",
  "scripts/build-entries.js",
  "scripts/build-if-stale.js",
  "exercises",
  "solutions",
  "test/exercises",
];
const BUNDLE_SKIP = new Set(["test/exercises/grader", "test/exercises/expected"]);

export const SETUP_SH = `#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
set -euo pipefail
ROOT="\${AUTOGRADER_ROOT:-/autograder}"
cd "$ROOT/source"
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq ca-certificates curl gnupg util-linux
  curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
  apt-get install -y -qq nodejs
fi
# npm ci builds the project (its prepare script); an image that already has node_modules just builds.
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi
npm run build
chmod +x "$ROOT/source/run_autograder"
`;

export interface BundleOptions {
  lang: Lang;
  /** none, zero or N% (./export/late.ts); "none" leaves lateness to Gradescope. */
  latePolicy: string;
}

export function runAutograderScript(o: BundleOptions): string {
  parsePolicy(o.latePolicy); // refused here, not in every submission's run
  return `#!/usr/bin/env bash
# Gradescope runs this for every submission: grade /autograder/submission into
# /autograder/results/results.json (see src/grader/gradescope.ts).
ROOT="\${AUTOGRADER_ROOT:-/autograder}"
cd "$ROOT/source" && exec node dist/grader/gradescope.js run --root "$ROOT" --lang ${o.lang} --late-policy '${o.latePolicy.replace(/[^\w.%/ -]/g, "")}'
`;
}

export const RUN_AUTOGRADER = runAutograderScript({ lang: "en", latePolicy: "none" });

function addTree(zip: AdmZip, root: string, rel: string): number {
  const abs = path.join(root, rel);
  if (!fs.existsSync(abs) || BUNDLE_SKIP.has(rel)) return 0;
  const st = fs.lstatSync(abs);
  if (st.isSymbolicLink()) return 0;
  if (st.isDirectory()) {
    let n = 0;
    for (const name of fs.readdirSync(abs).sort()) {
      if (name === "node_modules" || name.startsWith(".")) continue;
      n += addTree(zip, root, path.posix.join(rel, name));
    }
    return n;
  }
  zip.addFile(rel, fs.readFileSync(abs), "", 0o644);
  return 1;
}

export function buildBundle(outFile: string, o: BundleOptions = { lang: "en", latePolicy: "none" }): { files: number; bytes: number } {
  const root = projectRoot();
  for (const needed of ["solutions", path.join("test", "exercises", "hidden")]) {
    if (!fs.existsSync(path.join(root, needed))) throw new GraderError(`${needed}/ is missing: the autograder is built from the instructor's project`);
  }
  const zip = new AdmZip();
  const exec = 0o755; // adm-zip stores it as the Unix mode: run_autograder and setup.sh stay executable
  zip.addFile("setup.sh", Buffer.from(SETUP_SH), "", exec);
  zip.addFile("run_autograder", Buffer.from(runAutograderScript(o)), "", exec);
  let files = 2;
  for (const rel of BUNDLE_INCLUDE) files += addTree(zip, root, rel);
  const out = path.resolve(outFile);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  zip.writeZip(out);
  return { files, bytes: fs.statSync(out).size };
}

/** Gradescope's results.json for a run that could not grade. */
function failedResults(message: string): object {
  return { score: 0, output: `The autograder could not grade this submission: ${message}`, visibility: "visible", stdout_visibility: "hidden", tests: [] };
}

/** When Gradescope says this submission was made, and its due date (a student's extension first). */
export function submissionTimes(rootDir: string): { submitted: Date; due: Date } | null {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(rootDir, "submission_metadata.json"), "utf8")) as {
      created_at?: string;
      assignment?: { due_date?: string };
      users?: { assignment?: { due_date?: string } }[];
    };
    const due = m.users?.find((u) => u.assignment?.due_date)?.assignment?.due_date ?? m.assignment?.due_date;
    if (!m.created_at || !due) return null;
    const submitted = new Date(m.created_at);
    const dueDate = new Date(due);
    return Number.isNaN(submitted.getTime()) || Number.isNaN(dueDate.getTime()) ? null : { submitted, due: dueDate };
  } catch {
    return null;
  }
}

/** The late policy applied to a results.json: the score lowered, and a line saying why. */
export function applyLate(gs: { score: number; output: string }, times: { submitted: Date; due: Date } | null, policy: LatePolicy, lang: Lang): void {
  if (!times || policy.kind === "none") return;
  const l = lateness(times.submitted, times.due, { policy, graceMinutes: 0 });
  if (l.days === 0) return;
  const before = gs.score;
  gs.score = Math.round(before * (1 - l.penalty) * 100) / 100;
  const line = inLang(
    text(`迟交 ${l.days} 天（迟交政策 ${policyName(policy)}）：得分 ${before} → ${gs.score}`, `Submitted ${l.days} day${l.days > 1 ? "s" : ""} late (late policy ${policyName(policy)}): score ${before} → ${gs.score}`),
    lang,
  );
  gs.output = `${line}\n\n${gs.output}`;
}

export async function runAutograder(rootDir: string, o: BundleOptions = { lang: "en", latePolicy: "none" }): Promise<number> {
  const results = path.join(rootDir, "results");
  fs.mkdirSync(results, { recursive: true });
  const resultsFile = path.join(results, "results.json");
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-gradescope-"));
  try {
    if (!fs.existsSync(path.join(rootDir, "submission"))) throw new GraderError(`${path.join(rootDir, "submission")} does not exist`);
    const out = path.join(work, "out");
    // The submission is a student's folder of the class ROOT: collected as a batch collects one.
    await gradeBatch({ submissions: rootDir, students: ["submission"], out, jobs: 1, lang: o.lang });
    const gs = JSON.parse(fs.readFileSync(path.join(studentDir(out, "submission"), "results.json"), "utf8")) as { score: number; output: string };
    const record = JSON.parse(fs.readFileSync(path.join(studentDir(out, "submission"), "record.json"), "utf8")) as { exercises: Record<string, { state: string }> };
    if (Object.values(record.exercises).every((e) => e.state === "missing")) {
      gs.output = `${inLang(text(`提交中没有找到任何练习文件（${EXERCISES.map((e) => `${e.id}.ts`).join("、")}）。`, `No exercise file (${EXERCISES.map((e) => `${e.id}.ts`).join(", ")}) was found in the submission.`), o.lang)}\n\n${gs.output}`;
    }
    applyLate(gs, submissionTimes(rootDir), parsePolicy(o.latePolicy), o.lang);
    fs.writeFileSync(resultsFile, `${JSON.stringify(gs, null, 2)}\n`);
    return 0;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    fs.writeFileSync(resultsFile, `${JSON.stringify(failedResults(message), null, 2)}\n`);
    process.stderr.write(`run_autograder: ${message}\n`);
    return 1;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<number> {
  const program = new Command().name("gradescope").exitOverride();
  program
    .command("bundle", { isDefault: true })
    .description("write the Gradescope autograder zip (setup.sh, run_autograder, the instructor's project)")
    .requiredOption("-o, --out <file>", "the zip to write, e.g. autograder.zip")
    .option("--lang <lang>", "zh or en: the language of the notes the autograder adds (default: the locale)", parseLang, langFromEnv())
    .option("--late-policy <policy>", "none (Gradescope's own late settings), zero, or a percentage off per day late such as 10%, held to Gradescope's due date", "none")
    .action((o: { out: string; lang: Lang; latePolicy: string }) => {
      const r = buildBundle(o.out, { lang: o.lang, latePolicy: o.latePolicy });
      process.stdout.write(`Gradescope autograder: ${path.resolve(o.out)} (${r.files} files, ${(r.bytes / 1024).toFixed(0)} KB). Upload it as the assignment's autograder (Ubuntu image).\n`);
    });
  program
    .command("run")
    .description("(inside the autograder) grade /autograder/submission into /autograder/results/results.json")
    .option("--root <dir>", "the autograder folder", process.env.AUTOGRADER_ROOT || "/autograder")
    .option("--lang <lang>", "zh or en", parseLang, "en" as Lang)
    .option("--late-policy <policy>", "none, zero or N%", "none")
    .action(async (o: { root: string; lang: Lang; latePolicy: string }) => {
      process.exitCode = await runAutograder(path.resolve(o.root), { lang: o.lang, latePolicy: o.latePolicy });
    });
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (e) {
    if ((e as { exitCode?: number }).exitCode === 0) return 0;
    if (e instanceof GraderError) {
      process.stderr.write(`gradescope: ${e.message}\n`);
      return 2;
    }
    if ((e as { code?: string }).code?.startsWith("commander.")) return 2;
    process.stderr.write(`gradescope: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv).then((code) => process.exit(code));
}
