/**
 * Which of a student's files are graded. A submission may hold an exercise file more than once — the
 * stubs in exercises/ and the solved copies at the top, an old/ folder, a zip beside the folder — so:
 *
 * 1. the main folder is the one holding the most exercise files that differ from the released stubs
 *    (then the shallower one, then the first by name);
 * 2. each exercise is graded from its copy in the main folder if that one differs from the stub, else
 *    from the shallowest copy that does, else from whatever copy there is (a stub: not attempted);
 * 3. every other file gets a note: the other copies ("min-pool.ts at the top was graded"), names close
 *    to an exercise's ("did you mean min-pool.ts?"), everything else ("not an exercise file").
 *
 * Helpers — other .ts files with plain names in the main folder — are taken too: an exercise may
 * import them (`./utils`).
 */
import { createHash } from "node:crypto";
import { text, type Text } from "../i18n";
import { EXERCISES, type ExerciseId } from "../manifest";
import { closeExercise } from "./names";
import type { FileNote, FoundFile } from "./tree";

/** Largest file read (as the sandbox's copy, ../sandbox/prepare.ts). */
export const READ_CAP = 256 * 1024;
/** Helpers taken besides the exercise files. */
export const MAX_HELPERS = 16;
/** Copies of exercise files read, in all (a zip can hold thousands of min-pool.ts in as many folders). */
export const MAX_COPIES = 64;

export type FileState = "missing" | "stub" | "edited";

export interface ExerciseFile {
  state: FileState;
  /** Where it was found ("" when missing). */
  from: string;
  /** SHA-256 of its text with line ends and trailing spaces made uniform ("" when missing). */
  sha256: string;
}

export interface Chosen {
  /** File name → bytes: what is graded (exercise files by their own names, and helpers). */
  take: Map<string, Buffer>;
  exercises: Record<ExerciseId, ExerciseFile>;
  /** Other copies of exercise files, names close to one: said first. */
  notes: FileNote[];
  /** Everything else not graded. */
  others: FileNote[];
}

/** The text as an editor would show it: no BOM, LF line ends, no trailing spaces, one final newline. */
export function normalized(bytes: Buffer): string {
  return bytes.toString("utf8").replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").replace(/[ \t]+$/gm, "").replace(/\n*$/, "\n");
}

export const digest = (bytes: Buffer) => createHash("sha256").update(normalized(bytes)).digest("hex");

const shownFolder = (folder: string): Text => (folder ? text(`${folder}/ 中`, `in ${folder}/`) : text("最上层", "at the top"));

interface Copy {
  file: FoundFile;
  bytes: Buffer | null;
  sha256: string;
  edited: boolean;
}

const depthOf = (folder: string) => (folder ? folder.split("/").length : 0);

export async function chooseFiles(files: FoundFile[], stubs: ReadonlyMap<ExerciseId, string>): Promise<Chosen> {
  const ids = EXERCISES.map((e) => e.id);
  const notes: FileNote[] = [];
  const others: FileNote[] = [];
  const copies = new Map<ExerciseId, Copy[]>();
  let looked = 0;
  for (const f of files) {
    const id = ids.find((x) => `${x}.ts` === f.name);
    if (!id) continue;
    if (++looked > MAX_COPIES) {
      notes.push({ file: f.shown, why: text(`没有查看：练习文件的副本超过 ${MAX_COPIES} 个`, `not looked at: more than ${MAX_COPIES} copies of exercise files`) });
      continue;
    }
    const read = await f.read(READ_CAP);
    if (!Buffer.isBuffer(read)) {
      notes.push({ file: f.shown, why: text(`没有评分：${read.error.zh}`, `not graded: ${read.error.en}`) });
      continue;
    }
    const sha256 = digest(read);
    const list = copies.get(id) ?? [];
    list.push({ file: f, bytes: read, sha256, edited: sha256 !== stubs.get(id) });
    copies.set(id, list);
  }
  // 1. The main folder.
  const score = new Map<string, number>();
  for (const list of copies.values()) for (const c of list) score.set(c.file.folder, (score.get(c.file.folder) ?? 0) + (c.edited ? 1 : 0));
  const folders = [...new Set([...copies.values()].flat().map((c) => c.file.folder))];
  folders.sort((a, b) => (score.get(b) ?? 0) - (score.get(a) ?? 0) || depthOf(a) - depthOf(b) || (a < b ? -1 : a > b ? 1 : 0));
  const main = folders[0] ?? "";
  // 2. One copy per exercise.
  const take = new Map<string, Buffer>();
  const exercises = {} as Record<ExerciseId, ExerciseFile>;
  for (const id of ids) {
    const list = copies.get(id) ?? [];
    const byDepth = [...list].sort((a, b) => depthOf(a.file.folder) - depthOf(b.file.folder));
    const chosen = list.find((c) => c.edited && c.file.folder === main) ?? byDepth.find((c) => c.edited) ?? list.find((c) => c.file.folder === main) ?? byDepth[0];
    if (!chosen) {
      exercises[id] = { state: "missing", from: "", sha256: "" };
      continue;
    }
    take.set(`${id}.ts`, chosen.bytes!);
    exercises[id] = { state: chosen.edited ? "edited" : "stub", from: chosen.file.shown, sha256: chosen.sha256 };
    for (const other of list) {
      if (other === chosen) continue;
      const why =
        other.sha256 === chosen.sha256
          ? text(`没有评分：与评分的 ${chosen.file.shown} 相同`, `not graded: the same as ${chosen.file.shown}, which was graded`)
          : !other.edited
            ? text(`没有评分：与发布的模板相同；评分的是 ${chosen.file.shown}`, `not graded: unchanged from the released stub; ${chosen.file.shown} was graded`)
            : text(`没有评分：评分的是 ${chosen.file.shown}（${shownFolder(chosen.file.folder).zh}）`, `not graded: ${chosen.file.shown} (${shownFolder(chosen.file.folder).en}) was graded instead`);
      notes.push({ file: other.file.shown, why });
    }
  }
  // 3. Everything else: helpers in the main folder, close names, other files.
  let helpers = 0;
  for (const f of files) {
    if (ids.some((id) => `${id}.ts` === f.name)) continue;
    const close = closeExercise(f.name, ids);
    const tsInMain = f.folder === main && /^[A-Za-z0-9_][\w.-]*\.ts$/.test(f.name) && !f.name.endsWith(".d.ts");
    let why: Text | null = null;
    if (tsInMain && helpers < MAX_HELPERS) {
      const read = await f.read(READ_CAP);
      if (Buffer.isBuffer(read)) {
        take.set(f.name, read); // a helper: an exercise may import it
        helpers++;
      } else why = text(`没有评分：${read.error.zh}`, `not graded: ${read.error.en}`);
    } else if (tsInMain) why = text(`没有评分：其他 .ts 文件超过 ${MAX_HELPERS} 个`, `not graded: more than ${MAX_HELPERS} other .ts files`);
    else why = f.name.endsWith(".ts") ? text("没有评分：不是练习文件，也不在评分的文件夹里", "not graded: not an exercise file, and not in the graded folder") : text("没有评分：不是练习文件", "not graded: not an exercise file");
    if (close) {
      const graded = exercises[close].state !== "missing";
      notes.push({
        file: f.shown,
        why: graded
          ? text(`没有作为练习评分：评分的是 ${exercises[close].from}`, `not graded as an exercise: ${exercises[close].from} was graded`)
          : text(`没有评分：你是想提交 ${close}.ts 吗？请改成这个文件名`, `not graded: did you mean ${close}.ts? Rename it`),
      });
    } else if (why) others.push({ file: f.shown, why });
  }
  return { take, exercises, notes, others };
}
