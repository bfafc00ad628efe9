/**
 * The warm grader's work, inside its vitest worker (../warm/server.ts starts it): the visible specs are
 * imported once; each request grades one folder — its files copied and compiled, its parts run
 * one by one (../spec/harness.ts `gradePart`, exactly what a vitest run of the spec does) against a
 * sandbox that was started ahead of need — and answers with the report. The type check of the
 * folder runs meanwhile in a checker process that stays up too.
 *
 * Why not a vitest run per request: vitest starts a new worker for every run and loads the specs,
 * the library and fast-check again (0.5–1 s measured, before any grading); here that is paid once.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import { EXERCISES, exerciseById, type ExerciseId } from "../manifest";
import { specModules } from "../specs";
import { text } from "../i18n";
import { recordKey, scoreSubmission } from "../scoring";
import type { PartRecord } from "../records";
import { Typechecker } from "../typecheck";
import { WorkFolder } from "../work";
import { collectSpec, gradePart, setActiveSubmission, type Collected, type PartBody } from "./harness";
import { submissionTargets } from "./targets";
import type { WarmConfig, WarmReply, WarmRequest } from "../warm/protocol";


export async function serveWarm(config: WarmConfig): Promise<void> {
  const work = WorkFolder.open(config.workDir);
  const collected: Collected = [];
  for (const m of specModules(EXERCISES, false, "visible")) collected.push(...(await collectSpec(() => import(m.file))));
  const typechecker = new Typechecker(config.root);
  let next = 0;

  const grade = async (req: Extract<WarmRequest, { op: "grade" }>) => {
    const index = next++;
    const prepared = work.prepare(index, req.target);
    const ids = req.exercises.map((id) => exerciseById(id).id);
    const targets = submissionTargets({
      id: req.display,
      sourceDir: prepared.sourceDir,
      runDir: prepared.runDir,
      libDir: work.libDir,
      display: req.display,
      timeoutMs: config.timeoutMs,
      callTimeoutMs: config.callTimeoutMs,
      retryTimeoutMs: config.retryTimeoutMs,
      memoryMb: config.memoryMb,
      syntaxErrors: prepared.syntaxErrors,
      hidden: false,
      warmSpare: true, // the next request's sandbox starts now, while nobody waits for it
      seed: null,
    });
    const checking = req.typecheck ? typechecker.check([{ id: "0", dir: prepared.sourceDir }]) : null;
    const started = Date.now();
    const records = new Map<string, PartRecord>();
    setActiveSubmission(targets);
    try {
      await targets.start(ids as ExerciseId[]);
      for (const id of ids) {
        for (const c of collected.filter((x) => x.exercise === id)) {
          const parts: [string, PartBody][] = [];
          c.body((key, fn) => parts.push([key, fn]));
          for (const [key, fn] of parts) records.set(recordKey(id, key), await gradePart(id as ExerciseId, key, fn));
        }
      }
    } finally {
      setActiveSubmission(null);
      await targets.close();
    }
    const report = scoreSubmission({
      target: req.target,
      hidden: false,
      exercises: ids.map((id) => exerciseById(id)),
      records,
      unreported: text("没有运行：这一部分没有测试（评分器的问题：请检查 test/exercises/）", "not run: no test for this part (grader bug: check test/exercises/)"),
      runWarnings: [],
      notes: prepared.notes,
      budgetSeconds: Math.round(config.timeoutMs / 1000),
      executionTime: (Date.now() - started) / 1000,
      seed: null,
    });
    if (checking) report.typecheck = (await checking)["0"] ?? { problem: "the type check gave no answer" };
    fs.rmSync(`${work.dir}/subs/${index}`, { recursive: true, force: true });
    return report;
  };

  await new Promise<void>((resolve) => {
    let idle: NodeJS.Timeout;
    let queue: Promise<unknown> = Promise.resolve();
    const server = net.createServer((socket) => {
      let buffer = "";
      socket.setEncoding("utf8");
      socket.on("error", () => undefined);
      socket.on("data", (chunk: string) => {
        buffer += chunk;
        const nl = buffer.indexOf("\n");
        if (nl < 0) return;
        const line = buffer.slice(0, nl);
        buffer = "";
        queue = queue.then(async () => {
          let reply: WarmReply;
          let stop = false;
          try {
            const req = JSON.parse(line) as WarmRequest;
            if (req.op === "ping") {
              reply = { kind: "pong" };
            } else if (req.op === "stop") {
              stop = true;
              reply = { kind: "stopped" };
            } else if (req.version !== config.version) {
              stop = true; // a new build: the client starts a new grader
              reply = { kind: "stale" };
            } else {
              reply = { kind: "report", report: await grade(req) };
            }
          } catch (e) {
            reply = { kind: "error", error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
          }
          socket.end(`${JSON.stringify(reply)}\n`);
          if (stop) finish();
          else arm();
        });
      });
    });
    const finish = () => {
      clearTimeout(idle);
      server.close();
      fs.rmSync(config.socket, { force: true }); // now, before a client starts the next grader

      typechecker.stop();
      resolve();
    };
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(finish, config.idleMs);
    };
    fs.rmSync(config.socket, { force: true });
    server.listen(config.socket, () => {
      fs.chmodSync(config.socket, 0o600);
      arm();
    });
  });
}
