/**
 * docs/exercises.md lists every exercise's parts with the points src/grader/manifest.ts declares, so
 * the documentation cannot drift from what the grader counts.
 */
import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { EXERCISES, maxScore } from "../../src/grader/manifest";
import { projectRoot } from "../../src/grader/paths";

const doc = fs.readFileSync(path.join(projectRoot(), "docs", "exercises.md"), "utf8");

describe("docs/exercises.md", () => {
  it.each(EXERCISES.map((e) => [e.id, e] as const))("%s: its summary row and every part with the manifest's points", (id, e) => {
    const hidden = maxScore(e, true) - maxScore(e, false);
    const summary = doc.split("\n").find((l) => l.startsWith(`| \`${id}.ts\` |`));
    expect(summary, id).toBeDefined();
    expect(summary!.trim().endsWith(`| ${maxScore(e, false)}${hidden ? ` [+${hidden}]` : ""} |`), summary).toBe(true);
    const section = doc.split(/^## /m).find((s) => s.split("\n")[0].includes(`\`${id}.ts\``));
    expect(section, `a section for ${id}`).toBeDefined();
    const rows = [...section!.matchAll(/^\| `([\w-]+)` \| (\d+)( \(hidden\))? \|/gm)].map((m) => `${m[1]} ${m[2]}${m[3] ?? ""}`);
    expect(rows).toEqual(e.parts.map((p) => `${p.key} ${p.points}${p.hidden ? " (hidden)" : ""}`));
  });
});
