/**
 * node:crypto in the kernel's worker: the one hash the grader uses (sha256 of a call's arguments,
 * the key of a recorded expected value: src/grader/spec/oracle.ts), synchronous as in Node.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

export function createHash(algorithm: string) {
  if (algorithm !== "sha256") throw new Error(`node:crypto in the browser kernel has sha256 only, not ${algorithm}`);
  const parts: Uint8Array[] = [];
  const hash = {
    update(data: string | Uint8Array) {
      parts.push(typeof data === "string" ? utf8ToBytes(data) : data);
      return hash;
    },
    digest(encoding: "hex") {
      if (encoding !== "hex") throw new Error("node:crypto in the browser kernel digests to hex only");
      const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        all.set(p, at);
        at += p.length;
      }
      return bytesToHex(sha256(all));
    },
  };
  return hash;
}
export default { createHash };
