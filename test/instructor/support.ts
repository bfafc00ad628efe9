/**
 * Helpers for the instructor's suites: running the built CLI tools in child processes, making
 * submissions, fingerprinting folders and looking for processes left behind.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { projectRoot } from "../../src/grader/paths";

export const root = projectRoot();
export const dist = (file: string) => path.join(root, "dist", "grader", file);

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  /** The process's pid (its grading marker starts with it: D2L_GRADE_RUN=<pid>.…). */
  pid: number;
}

/** Runs `node <script> ...args` from the project root (no GRADE_TARGET from the test run). */
export function runNode(script: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; onStart?: (pid: number) => void } = {}): Promise<Run> {
  const started = Date.now();
  const { GRADE_TARGET: _ignored, D2L_GRADE_RUN: _marker, ...env } = process.env;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: options.cwd ?? root, env: { ...env, NO_COLOR: "1", ...options.env } });
    options.onStart?.(child.pid!);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c));
    child.stderr.on("data", (c: Buffer) => (stderr += c));
    child.on("close", (code) => resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000, pid: child.pid! }));
  });
}

/** Pids of the processes of the grading run started as process `pid` (its marker, src/grader/lifetime.ts). */
export function gradingProcesses(pid: number): number[] {
  const out: number[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (fs.readFileSync(`/proc/${name}/environ`, "latin1").split("\0").some((e) => e.startsWith(`D2L_GRADE_RUN=${pid}.`))) out.push(Number(name));
    } catch {
      // gone
    }
  }
  return out;
}

/** CPU seconds (user + system) of a process so far, or null when it is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * Watches the sandbox processes of a grading run while it runs: the most CPU any one of them used
 * over a window of at least `windowMs` (1.0 = one core). Stop it to get the number.
 */
export function watchSandboxCpu(pid: () => number | undefined, windowMs = 1000): { stop(): number } {
  const first = new Map<number, { t: number; cpu: number }>();
  let most = 0;
  const timer = setInterval(() => {
    const p = pid();
    if (!p) return;
    const now = Date.now();
    for (const q of gradingProcesses(p)) {
      let cmd = "";
      try {
        cmd = fs.readFileSync(`/proc/${q}/cmdline`, "utf8");
      } catch {
        continue;
      }
      if (!cmd.includes("sandbox/child.js")) continue;
      const cpu = cpuSeconds(q);
      if (cpu === null) continue;
      const start = first.get(q);
      if (!start) first.set(q, { t: now, cpu });
      else if (now - start.t >= windowMs) {
        most = Math.max(most, (cpu - start.cpu) / ((now - start.t) / 1000));
        first.set(q, { t: now, cpu });
      }
    }
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      return most;
    },
  };
}

/** Runs a program (not node) and resolves with its output. */
export function runProgram(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: options.cwd ?? root, env: { ...process.env, ...options.env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c));
    child.stderr.on("data", (c: Buffer) => (stderr += c));
    child.on("close", (code) => resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000, pid: child.pid! }));
  });
}

/** A content fingerprint of a folder (file names and bytes, links as their target), for "unchanged" checks. */
export function fingerprint(dir: string, skip: (rel: string) => boolean = () => false): string {
  const h = createHash("sha256");
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      const rel = path.relative(dir, p);
      if (skip(rel)) continue;
      const st = fs.lstatSync(p);
      h.update(`${rel}\0${st.mode}\0`);
      if (st.isSymbolicLink()) h.update(fs.readlinkSync(p));
      else if (st.isDirectory()) walk(p);
      else h.update(fs.readFileSync(p));
    }
  };
  walk(dir);
  return h.digest("hex");
}

/** A submission folder with the reference solutions, some files replaced (null: left out) or added. */
export function makeSubmission(dir: string, replace: Record<string, string | null> = {}): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(path.join(root, "solutions"))) {
    const name = f.replace(/\.ts$/, "");
    if (!(name in replace)) fs.copyFileSync(path.join(root, "solutions", f), path.join(dir, f));
  }
  for (const [name, text] of Object.entries(replace)) if (text !== null) fs.writeFileSync(path.join(dir, `${name}.ts`), text);
}

/** Command lines of all processes now running (Linux /proc), with their pids. */
export function processes(): { pid: number; cmdline: string; uid: number }[] {
  const out: { pid: number; cmdline: string; uid: number }[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, "utf8").replace(/\0/g, " ").trim();
      const uid = Number(/Uid:\s+(\d+)/.exec(fs.readFileSync(`/proc/${name}/status`, "utf8"))?.[1] ?? -1);
      out.push({ pid: Number(name), cmdline, uid });
    } catch {
      // gone
    }
  }
  return out;
}

export interface GradescopeTest {
  name: string;
  number: string;
  score: number;
  max_score: number;
  status: string;
  output: string;
  visibility: string;
  tags: string[];
}
export interface Results {
  score: number;
  max_score: number;
  output: string;
  execution_time?: number;
  tests: GradescopeTest[];
}

export const readResults = (file: string): Results => JSON.parse(fs.readFileSync(file, "utf8")) as Results;

/** Score of one exercise in a results.json (sum of its parts). */
export function exerciseScore(r: Results, exercise: string): number {
  return r.tests.filter((t) => t.tags.includes(exercise)).reduce((s, t) => s + t.score, 0);
}
