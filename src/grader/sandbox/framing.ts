/**
 * Newline-delimited messages on a socket, read with a size cap: a line longer than `maxBytes` is
 * dropped as it arrives (the grader's memory never holds it) and reported once.
 */
import type { Socket } from "node:net";

export function readLines(socket: Socket, maxBytes: number, onLine: (line: string) => void, onOversize: () => void): void {
  let chunks: Buffer[] = [];
  let buffered = 0;
  let dropping = false;
  socket.on("data", (chunk: Buffer) => {
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10)) {
      const rest = chunk.subarray(0, nl);
      chunk = chunk.subarray(nl + 1);
      if (dropping) {
        dropping = false;
        continue;
      }
      chunks.push(rest);
      const line = Buffer.concat(chunks).toString("utf8");
      chunks = [];
      buffered = 0;
      onLine(line);
    }
    if (dropping) return;
    chunks.push(chunk);
    buffered += chunk.length;
    if (buffered > maxBytes) {
      chunks = [];
      buffered = 0;
      dropping = true;
      onOversize();
    }
  });
}
