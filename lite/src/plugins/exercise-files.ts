/**
 * The student's exercises/*.ts as saved in the browser's storage (JupyterLite's contents), read
 * once and read again after any file changes: the kernel sends them with every cell, the download
 * zips them.
 */
import type { Contents } from "@jupyterlab/services";

export const EXERCISES_DIR = "exercises";

export async function readExercises(contents: Contents.IManager): Promise<Record<string, string>> {
  let dir: Contents.IModel;
  try {
    dir = await contents.get(EXERCISES_DIR, { content: true });
  } catch {
    return {}; // no exercises/ folder (deleted by the student): nothing to send
  }
  const files = (dir.content as Contents.IModel[]).filter((m) => m.type === "file" && m.name.endsWith(".ts") && !m.name.endsWith(".d.ts"));
  const texts = await Promise.all(files.map((m) => contents.get(m.path, { content: true, format: "text" })));
  return Object.fromEntries(texts.map((m) => [m.name.slice(0, -3), String(m.content)]));
}

export class ExerciseFiles {
  private cached: Promise<Record<string, string>> | null = null;

  constructor(private readonly contents: Contents.IManager) {
    contents.fileChanged.connect(() => {
      this.cached = null;
    });
  }

  get(): Promise<Record<string, string>> {
    return (this.cached ??= readExercises(this.contents));
  }
}
