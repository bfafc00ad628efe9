/**
 * "Did you mean min-pool.ts?": a file whose name is close to an exercise file's — another case,
 * `_` or a space for `-`, a missing `-`, `.js` for `.ts`, a copy's " (1)" — or one or two letters off.
 * Such a file is never graded in the exercise's place (the student renames it); the note says which.
 */
import { EXERCISES, type ExerciseId } from "../manifest";

/** The name without what editors, browsers and zip tools add: case, extension, " (1)", "copy of". */
export function looseName(fileName: string): string {
  return fileName
    .toLowerCase()
    .replace(/(\.(ts|tsx|mts|cts|js|mjs|cjs|txt|ipynb))+$/, "")
    .replace(/^copy of /, "")
    .replace(/[\s_-]*(\(\d+\)|copy( \d+)?|副本|\d+)$/u, "")
    .replace(/[\s_.]+/g, "-");
}

/** Levenshtein distance (insertions, deletions, substitutions), for names of a few dozen letters. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length];
}

/** The exercise a file name was probably meant to be, or null (a file named exactly so is not "close"). */
export function closeExercise(fileName: string, ids: readonly ExerciseId[] = EXERCISES.map((e) => e.id)): ExerciseId | null {
  if (ids.some((id) => `${id}.ts` === fileName)) return null;
  const loose = looseName(fileName);
  const bare = loose.replace(/-/g, "");
  if (bare.length < 4) return null;
  let best: { id: ExerciseId; d: number } | null = null;
  for (const id of ids) {
    const d = editDistance(bare, id.replace(/-/g, ""));
    if (loose === id || d === 0) return id;
    if (d <= 2 && (!best || d < best.d)) best = { id, d };
  }
  return best?.id ?? null;
}

/** A student's name without case or punctuation: `chen-jing`, `Chen_Jing` and `chen jing` are one (a "did you mean" for names). */
export function plainName(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}
