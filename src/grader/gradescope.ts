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
 * That finds the exercise files in /autograder/submission (at its top, in an exercises/ folder, or
 * wherever most of them are), grades them exactly as `npm run grade -- --submissions` does (sandbox,
 * hidden tests, type check), and writes /autograder/results/results.json.
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

export const RUN_AUTOGRADER = `#!/usr/bin/env bash
# Gradescope runs this for every submission: grade /autograder/submission into
# /autograder/results/results.json (see src/grader/gradescope.ts).
ROOT="\${AUTOGRADER_ROOT:-/autograder}"
cd "$ROOT/source" && exec node dist/grader/gradescope.js run --root "$ROOT"
`;

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

export function buildBundle(outFile: string): { files: number; bytes: number } {
  const root = projectRoot();
  for (const needed of ["solutions", path.join("test", "exercises", "hidden")]) {
    if (!fs.existsSync(path.join(root, needed))) throw new GraderError(`${needed}/ is missing: the autograder is built from the instructor's project`);
  }
  const zip = new AdmZip();
  const exec = 0o755; // adm-zip stores it as the Unix mode: run_autograder and setup.sh stay executable
  zip.addFile("setup.sh", Buffer.from(SETUP_SH), "", exec);
  zip.addFile("run_autograder", Buffer.from(RUN_AUTOGRADER), "", exec);
  let files = 2;
  for (const rel of BUNDLE_INCLUDE) files += addTree(zip, root, rel);
  const out = path.resolve(outFile);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  zip.writeZip(out);
  return { files, bytes: fs.statSync(out).size };
}

/** The folder of `dir` (depth ≤ 3, no links) holding the most exercise files. */
export function findExerciseFolder(dir: string): string | null {
  const names = new Set(EXERCISES.map((e) => `${e.id}.ts`));
  let best: { dir: string; count: number; depth: number } | null = null;
  const walk = (d: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    const count = entries.filter((e) => e.isFile() && names.has(e.name)).length;
    if (count > 0 && (!best || count > best.count || (count === best.count && depth < best.depth))) best = { dir: d, count, depth };
    if (depth < 3) for (const e of entries) if (e.isDirectory() && !e.name.startsWith(".") && e.name !== "node_modules") walk(path.join(d, e.name), depth + 1);
  };
  walk(dir, 0);
  return (best as { dir: string } | null)?.dir ?? null;
}

/** Gradescope's results.json for a run that could not grade. */
function failedResults(message: string): object {
  return { score: 0, output: `The autograder could not grade this submission: ${message}`, visibility: "visible", stdout_visibility: "hidden", tests: [] };
}

export async function runAutograder(rootDir: string): Promise<number> {
  const submission = path.join(rootDir, "submission");
  const results = path.join(rootDir, "results");
  fs.mkdirSync(results, { recursive: true });
  const resultsFile = path.join(results, "results.json");
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-gradescope-"));
  try {
    const found = findExerciseFolder(submission);
    const student = path.join(work, "submissions", "submission");
    fs.mkdirSync(student, { recursive: true });
    // Only regular files named like the exercises are taken (the grader copies them again, safely).
    if (found) {
      for (const e of EXERCISES) {
        const f = path.join(found, `${e.id}.ts`);
        try {
          if (fs.lstatSync(f).isFile()) fs.copyFileSync(f, path.join(student, `${e.id}.ts`));
        } catch {
          // not attempted
        }
      }
    }
    const out = path.join(work, "out");
    await gradeBatch({ submissions: path.join(work, "submissions"), out, jobs: 1 });
    const gs = JSON.parse(fs.readFileSync(path.join(studentDir(out, "submission"), "results.json"), "utf8")) as { output: string };
    if (!found) gs.output = `No exercise file (${EXERCISES.map((e) => `${e.id}.ts`).join(", ")}) was found in the submission.\n\n${gs.output}`;
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
    .action((o: { out: string }) => {
      const r = buildBundle(o.out);
      process.stdout.write(`Gradescope autograder: ${path.resolve(o.out)} (${r.files} files, ${(r.bytes / 1024).toFixed(0)} KB). Upload it as the assignment's autograder (Ubuntu image).\n`);
    });
  program
    .command("run")
    .description("(inside the autograder) grade /autograder/submission into /autograder/results/results.json")
    .option("--root <dir>", "the autograder folder", process.env.AUTOGRADER_ROOT || "/autograder")
    .action(async (o: { root: string }) => {
      process.exitCode = await runAutograder(path.resolve(o.root));
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
