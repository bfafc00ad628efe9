/** What the warm grader's client and server say, one JSON line each way per connection. */
import type { GradeReport } from "../scoring";

/** How the server configures its worker (../spec/warm.ts). */
export interface WarmConfig {
  root: string;
  socket: string;
  workDir: string;
  version: string;
  /** Stop after this long without a request, ms. */
  idleMs: number;
  timeoutMs: number;
  callTimeoutMs: number;
  retryTimeoutMs: number;
  memoryMb: number;
}


export type WarmRequest =
  | { op: "grade"; version: string; target: string; display: string; exercises: string[]; typecheck: boolean }
  | { op: "ping" }
  | { op: "stop" };

export type WarmReply =
  | { kind: "report"; report: GradeReport }
  /** It serves an older build of the copy, and stops: start a new one. */
  | { kind: "stale" }
  | { kind: "error"; error: string }
  | { kind: "pong" }
  | { kind: "stopped" };
