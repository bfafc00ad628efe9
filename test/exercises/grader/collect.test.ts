/**
 * Finding a student's files (src/grader/collect/): the layouts students hand in, zips read under
 * the caps, and a note for every file not graded — each case worked by hand from the class
 * (issue 20): files in exercises/, <student>.zip, a zip inside a folder, __MACOSX/, misnamed files,
 * stubs beside solved files, a zip bomb, paths out of the zip, links.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { collectStudent, loadStubs, type Collected } from "../../../src/grader/collect/collect";
import { listClass } from "../../../src/grader/collect/class";
import { closeExercise, editDistance, looseName } from "../../../src/grader/collect/names";
import { normalized } from "../../../src/grader/collect/choose";
import { listZip, ZIP_CAPS } from "../../../src/grader/collect/zip";
import { EXERCISES } from "../../../src/grader/manifest";
import { projectRoot } from "../../../src/grader/paths";
import { writeZip, zipBomb } from "../../helpers/zip";

const root = projectRoot();
const stubs = loadStubs(root);
const solution = (id: string) => fs.readFileSync(path.join(root, "solutions", `${id}.ts`));
const stub = (id: string) => fs.readFileSync(path.join(root, "exercises", `${id}.ts`));
let tmp: string;
let n = 0;

function folder(files: Record<string, Buffer | string>): string {
  const dir = path.join(tmp, `s${n++}`);
  for (const [rel, data] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), data);
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
const collect = (member: { folder?: string; zip?: string }) => collectStudent(member, path.join(tmp, `stage${n++}`), stubs);
const noteFor = (c: Collected, file: string) => c.notes.find((x) => x.file === file)?.why.en;
const staged = (c: Collected, name: string) => fs.readFileSync(path.join(c.dir, name), "utf8");

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "d2l-collect-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("did you mean …? (names close to an exercise file)", () => {
  it("each way of getting the name wrong in the issue's class points to the right file", () => {
    const cases: [string, string | null][] = [
      ["minpool.ts", "min-pool"],
      ["Softmax-Pool.ts", "softmax-pool"],
      ["pooling_cost.ts", "pooling-cost"],
      ["min-pool.js", "min-pool"],
      ["max-vs-avg (1).ts", "max-vs-avg"],
      ["max vs avg.ts", "max-vs-avg"],
      ["min-pool.ts.txt", "min-pool"],
      ["softmaxpol.ts", "softmax-pool"], // two letters off
      ["notes.md", null],
      ["utils.ts", null],
      ["min-pool.ts", null], // the right name is not "close"
      ["pool.ts", null],
    ];
    for (const [name, want] of cases) expect(closeExercise(name), name).toBe(want);
  });

  it("editDistance is Levenshtein's (hand-worked) and a metric on random words", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("minpool", "minpool")).toBe(0);
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), (a, b, c) => {
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, c)).toBeLessThanOrEqual(editDistance(a, b) + editDistance(b, c));
        expect(editDistance(a, b)).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
      }),
    );
  });

  it("every exercise name, changed in any of those ways, comes back to itself", () => {
    const ids = EXERCISES.map((e) => e.id);
    fc.assert(
      fc.property(fc.constantFrom(...ids), fc.constantFrom("upper", "underscore", "nodash", "js", "copy", "space"), (id, how) => {
        const name = { upper: id.toUpperCase(), underscore: id.replace(/-/g, "_"), nodash: id.replace(/-/g, ""), js: id, copy: `${id} (2)`, space: id.replace(/-/g, " ") }[how];
        expect(closeExercise(`${name}.${how === "js" ? "js" : "ts"}`)).toBe(id);
      }),
    );
    expect(looseName("Copy of Min_Pool (3).TS")).toBe("min-pool");
  });

  it("stub comparison ignores what editors change: BOM, CRLF, trailing spaces", () => {
    expect(normalized(Buffer.from("\uFEFFa  \r\nb\t\r\n\r\n"))).toBe("a\nb\n");
  });
});

describe("a student's files", () => {
  it("files in exercises/ are found (a student scored 0/114 for it)", async () => {
    const c = await collect({ folder: folder({ "exercises/min-pool.ts": solution("min-pool"), "exercises/pooling-cost.ts": solution("pooling-cost") }) });
    expect(c.exercises["min-pool"]).toMatchObject({ state: "edited", from: "exercises/min-pool.ts" });
    expect(c.exercises["softmax-pool"].state).toBe("missing");
    expect(staged(c, "min-pool.ts")).toBe(solution("min-pool").toString());
  });

  it("stubs in exercises/ and solved files at the top: the solved ones are graded, the stubs noted", async () => {
    const files: Record<string, Buffer> = {};
    for (const e of EXERCISES) files[`exercises/${e.id}.ts`] = stub(e.id);
    for (const id of ["min-pool", "pooling-cost", "softmax-pool"]) files[`${id}.ts`] = solution(id);
    const c = await collect({ folder: folder(files) });
    for (const id of ["min-pool", "pooling-cost", "softmax-pool"] as const) {
      expect(c.exercises[id]).toMatchObject({ state: "edited", from: `${id}.ts` });
      expect(noteFor(c, `exercises/${id}.ts`)).toBe(`not graded: unchanged from the released stub; ${id}.ts was graded`);
    }
    expect(c.exercises["max-vs-avg"]).toMatchObject({ state: "stub", from: "exercises/max-vs-avg.ts" });
  });

  it("an old/ folder with older attempts: the main folder's files are graded, old/ is noted", async () => {
    const c = await collect({ folder: folder({ "min-pool.ts": solution("min-pool"), "pooling-cost.ts": solution("pooling-cost"), "old/min-pool.ts": "export const x = 1;\n" }) });
    expect(c.exercises["min-pool"].from).toBe("min-pool.ts");
    expect(noteFor(c, "old/min-pool.ts")).toBe("not graded: min-pool.ts (at the top) was graded instead");
  });

  it("misnamed files get 'did you mean'; other files are listed; __MACOSX and dotfiles are one clutter line", async () => {
    const dir = folder({
      "minpool.ts": solution("min-pool"),
      "pooling_cost.ts": solution("pooling-cost"),
      "min-pool.js": "x",
      "notes.md": "# notes",
      "max-vs-avg.ts": solution("max-vs-avg"),
      "max-vs-avg (1).ts": solution("max-vs-avg"),
      "__MACOSX/._min-pool.ts": "junk",
      ".DS_Store": "junk",
    });
    const c = await collect({ folder: dir });
    expect(noteFor(c, "minpool.ts")).toBe("not graded: did you mean min-pool.ts? Rename it");
    expect(noteFor(c, "pooling_cost.ts")).toBe("not graded: did you mean pooling-cost.ts? Rename it");
    expect(noteFor(c, "min-pool.js")).toBe("not graded: did you mean min-pool.ts? Rename it");
    expect(noteFor(c, "max-vs-avg (1).ts")).toBe("not graded as an exercise: max-vs-avg.ts was graded");
    expect(noteFor(c, "notes.md")).toBe("not graded: not an exercise file");
    const clutter = c.notes.filter((x) => x.clutter);
    expect(clutter).toHaveLength(1);
    expect(clutter[0].file).toBe(".DS_Store, __MACOSX");
    expect(c.exercises["min-pool"].state).toBe("missing"); // never graded in its place
    expect(fs.readdirSync(c.dir).sort()).toEqual(["max-vs-avg.ts", "minpool.ts", "pooling_cost.ts"]); // helpers may be imported
  });

  it("<student>.zip and a zip inside the folder are read as if unpacked where they are", async () => {
    const zip = path.join(tmp, "olga.zip");
    fs.writeFileSync(zip, writeZip([{ name: "pooling-student/exercises/min-pool.ts", data: solution("min-pool") }, { name: "__MACOSX/pooling-student/._min-pool.ts", data: "junk" }]));
    const olga = await collect({ zip });
    expect(olga.exercises["min-pool"]).toMatchObject({ state: "edited", from: "olga.zip ▸ pooling-student/exercises/min-pool.ts" });
    const pat = await collect({ folder: folder({ "submission.zip": writeZip([{ name: "softmax-pool.ts", data: solution("softmax-pool"), method: "store" }]) }) });
    expect(pat.exercises["softmax-pool"]).toMatchObject({ state: "edited", from: "submission.zip ▸ softmax-pool.ts" });
  });

  it("a zip's entries that leave its folder, links and zips inside zips are skipped, each said", async () => {
    const dir = folder({
      "work.zip": writeZip([
        { name: "../../escape.ts", data: "x" },
        { name: "/etc/cron.d/x.ts", data: "x" },
        { name: "..\\win.ts", data: "x" },
        { name: "min-pool.ts", data: "/etc/passwd", mode: 0o120777 },
        { name: "inner.zip", data: writeZip([{ name: "min-pool.ts", data: solution("min-pool") }]) },
        { name: "pooling-cost.ts", data: solution("pooling-cost") },
      ]),
    });
    const c = await collect({ folder: dir });
    expect(noteFor(c, "work.zip ▸ ../../escape.ts")).toBe("skipped: its path leads out of the zip's folder");
    expect(noteFor(c, "work.zip ▸ /etc/cron.d/x.ts")).toBe("skipped: its path leads out of the zip's folder");
    expect(noteFor(c, "work.zip ▸ ../win.ts")).toBe("skipped: its path leads out of the zip's folder");
    expect(noteFor(c, "work.zip ▸ min-pool.ts")).toBe("skipped: a symbolic link");
    expect(noteFor(c, "work.zip ▸ inner.zip")).toBe("not opened: a zip inside a zip");
    expect(c.exercises["min-pool"].state).toBe("missing");
    expect(c.exercises["pooling-cost"].state).toBe("edited");
    expect(fs.existsSync(path.join(tmp, "escape.ts"))).toBe(false);
  });

  it("a zip bomb is refused whole, before anything is unpacked; a header that lies is caught while reading", async () => {
    const bomb = path.join(tmp, "bomb.zip");
    fs.writeFileSync(bomb, zipBomb(300 * 1024 * 1024));
    expect(fs.statSync(bomb).size).toBeLessThan(1024 * 1024);
    const listing = await listZip(bomb);
    expect(listing.refused?.en).toMatch(/^not opened: it would unpack to more than 200 MB$/);
    const ratio = path.join(tmp, "ratio.zip");
    fs.writeFileSync(ratio, zipBomb(20 * 1024 * 1024));
    expect((await listZip(ratio)).refused?.en).toMatch(/^not opened: min-pool\.ts is compressed \d+:1 \(at most 100:1: a zip bomb\?\)$/);
    // Declares 100 bytes, inflates to 5 MB: the ratio looks innocent, so it is opened — and reading stops.
    const c = await collect({ folder: folder({ "liar.zip": writeZip([{ name: "max-vs-avg.ts", data: Buffer.alloc(5_000_000, 32), declaredSize: 100 }]) }) });
    expect(noteFor(c, "liar.zip ▸ max-vs-avg.ts")).toMatch(/^not graded: (could not be unpacked|larger than)/);
    expect(c.exercises["max-vs-avg"].state).toBe("missing");
    expect(ZIP_CAPS.ratio).toBe(100);
  });

  it("not a zip, or a damaged one: said, and the rest of the folder is graded", async () => {
    const c = await collect({ folder: folder({ "fake.zip": "this is not a zip", "min-pool.ts": solution("min-pool") }) });
    expect(noteFor(c, "fake.zip")).toMatch(/^not opened: not a valid zip file/);
    expect(c.exercises["min-pool"].state).toBe("edited");
  });

  it("a symbolic link is not followed (it could point at the reference solutions)", async () => {
    const dir = folder({});
    fs.symlinkSync(path.join(root, "solutions", "min-pool.ts"), path.join(dir, "min-pool.ts"));
    const c = await collect({ folder: dir });
    expect(noteFor(c, "min-pool.ts")).toBe("not graded: a symbolic link (submit the file itself)");
    expect(c.exercises["min-pool"].state).toBe("missing");
  });

  it("the same files give the same hash, wherever they were; one changed byte changes it", async () => {
    const a = await collect({ folder: folder({ "min-pool.ts": solution("min-pool") }) });
    const b = await collect({ folder: folder({ "exercises/min-pool.ts": solution("min-pool"), "notes.md": "x" }) });
    const c = await collect({ folder: folder({ "min-pool.ts": `${solution("min-pool")} ` }) });
    expect(a.filesHash).toBe(b.filesHash);
    expect(c.filesHash).not.toBe(a.filesHash);
  });
});

describe("caps on what a folder can make the grader do", () => {
  it("a folder of 12 000 files: the exercise files are still found by name, and the notes stop at 20 and a count", async () => {
    const dir = folder({});
    for (let i = 0; i < 12_000; i++) fs.writeFileSync(path.join(dir, `z${String(i).padStart(5, "0")}.md`), "");
    fs.writeFileSync(path.join(dir, "min-pool.ts"), solution("min-pool"));
    const c = await collect({ folder: dir });
    expect(c.exercises["min-pool"].state).toBe("edited");
    const real = c.notes.filter((x) => !x.clutter);
    expect(real).toHaveLength(21);
    expect(real[0]).toEqual({ file: "…", why: expect.objectContaining({ en: "only the first 10000 files and folders were looked at" }) });
    expect(real[20]).toMatchObject({ file: "…" });
    expect(real[20].why.en).toMatch(/^and \d+ more files not graded \(the first 20 are listed\)$/);
  });

  it("helpers: a large one is said, and past 16 the rest are said", async () => {
    const files: Record<string, string | Buffer> = { "min-pool.ts": solution("min-pool"), "big.ts": Buffer.alloc(300 * 1024, 0x20) };
    for (let i = 0; i < 18; i++) files[`h${String(i).padStart(2, "0")}.ts`] = "export const x = 1;\n";
    const c = await collect({ folder: folder(files) });
    expect(noteFor(c, "big.ts")).toBe("not graded: larger than 256 KB");
    expect(fs.readdirSync(c.dir).filter((f) => /^h\d+\.ts$/.test(f))).toHaveLength(16);
    expect(noteFor(c, "h17.ts")).toBe("not graded: more than 16 other .ts files");
  });
});

describe("the class folder", () => {
  it("folders and zips are students (a folder and a zip of one name are one student); the rest is skipped, said", () => {
    const dir = folder({ "ann/min-pool.ts": "x", "olga.zip": writeZip([]), "ann.zip": writeZip([]), "readme.txt": "x", "__MACOSX/x": "x", ".DS_Store": "x", "gb/gradebook.json": "{}" });
    fs.symlinkSync(root, path.join(dir, "linked"));
    const c = listClass(dir);
    expect(c.students.map((s) => [s.id, !!s.folder, !!s.zip])).toEqual([
      ["ann", true, true],
      ["olga", false, true],
    ]);
    expect(c.skipped.map((s) => `${s.file}: ${s.why.en}`).sort()).toEqual([
      "gb: skipped: a gradebook (a folder --out wrote), not a student's work",
      "linked: skipped: a symbolic link (not followed)",
      "readme.txt: skipped: neither a student's folder nor a .zip",
    ]);
  });
});
