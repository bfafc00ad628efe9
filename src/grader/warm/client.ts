/**
 * Grading through the copy's warm grader (./server.ts): `npm run grade` and the notebook's
 * `showGrade()` ask it, and start it when it is not running (that first grade waits for it to
 * start; the next ones do not). A grader from an older build of the copy is replaced.
 *
 * Off when D2L_GRADE_WARM=0 (the project's own tests): callers then grade the cold way.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { builtGraderDir, projectRoot } from "../paths";
import type { GradeReport } from "../scoring";
import { buildVersion, warmPlace } from "./place";
import type { WarmReply, WarmRequest } from "./protocol";

export const warmEnabled = (env: NodeJS.ProcessEnv = process.env) => env.D2L_GRADE_WARM !== "0";

/** One request and its reply; null when nothing answers on the socket. */
function ask(socket: string, request: WarmRequest): Promise<WarmReply | null> {
  return new Promise((resolve) => {
    const c = net.connect(socket);
    let buffer = "";
    let settled = false;
    const done = (v: WarmReply | null) => {
      if (!settled) resolve(v);
      settled = true;
    };
    c.setEncoding("utf8");
    c.once("connect", () => c.write(`${JSON.stringify(request)}\n`));
    c.on("data", (chunk: string) => (buffer += chunk));
    c.once("end", () => {
      try {
        done(JSON.parse(buffer) as WarmReply);
      } catch {
        done(null);
      }
    });
    c.once("error", () => done(null));
  });
}

/** Starts the copy's warm grader in the background; resolves when it answers (or rejects after `waitMs`). */
async function start(root: string, version: string, waitMs: number): Promise<void> {
  const { socket, log } = warmPlace(root);
  const out = fs.openSync(log, "a");
  const child = spawn(process.execPath, [path.join(builtGraderDir(), "warm", "server.js"), root, version], {
    cwd: root,
    detached: true,
    stdio: ["ignore", out, out],
    env: { ...process.env },
  });
  child.unref();
  fs.closeSync(out);
  const until = Date.now() + waitMs;
  while (Date.now() < until) {
    if (fs.existsSync(socket) && (await ask(socket, { op: "ping" }))?.kind === "pong") return;
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the warm grader did not start (see ${log})`);
}

export interface WarmGradeOptions {
  target: string;
  /** How files are named in feedback (`exercises`). */
  display: string;
  exercises: string[];
  typecheck: boolean;
  root?: string;
  /** How long a grader that has to be started may take to answer (default 120 s). */
  startMs?: number;
}

/** The report from the copy's warm grader, starting (or restarting) it as needed. */
export async function gradeWarm(o: WarmGradeOptions): Promise<GradeReport> {
  const root = o.root ?? projectRoot();
  const version = buildVersion(root);
  const { socket } = warmPlace(root);
  const request: WarmRequest = { op: "grade", version, target: o.target, display: o.display, exercises: o.exercises, typecheck: o.typecheck };
  for (let attempt = 0; attempt < 3; attempt++) {
    const reply = fs.existsSync(socket) ? await ask(socket, request) : null;
    if (reply?.kind === "report") return reply.report;
    if (reply?.kind === "error") throw new Error(`the warm grader failed: ${reply.error}`);
    // Nothing answers, or it serves an older build (it stops itself): start one for this build.
    if (reply?.kind === "stale") await new Promise((r) => setTimeout(r, 200));
    await start(root, version, o.startMs ?? 120_000);
  }
  throw new Error("the warm grader did not answer");
}

/** Stops the copy's warm grader, if one runs, and waits (up to 10 s) until its process has ended. */
export async function stopWarm(root = projectRoot()): Promise<void> {
  const { socket, pid } = warmPlace(root);
  if (fs.existsSync(socket)) await ask(socket, { op: "stop" });
  let owner = 0;
  try {
    owner = Number(fs.readFileSync(pid, "utf8"));
  } catch {
    return;
  }
  const alive = () => {
    try {
      process.kill(owner, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 100 && owner > 0 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
}

/**
 * `node dist/grader/warm/client.js start`: start the copy's warm grader in the background and return
 * at once (npm start does it, so the chapter's grading cell finds it warm); `… stop`: stop it (npm
 * start does it when Jupyter ends).
 */
if (require.main === module && process.argv[2] === "stop") void stopWarm();
if (require.main === module && process.argv[2] === "start" && warmEnabled()) {
  const root = projectRoot();
  const { socket } = warmPlace(root);
  void (async () => {
    if (fs.existsSync(socket) && (await ask(socket, { op: "ping" }))?.kind === "pong") return;
    const { log } = warmPlace(root);
    const out = fs.openSync(log, "a");
    spawn(process.execPath, [path.join(builtGraderDir(), "warm", "server.js"), root, buildVersion(root)], { cwd: root, detached: true, stdio: ["ignore", out, out] }).unref();
  })();
}
