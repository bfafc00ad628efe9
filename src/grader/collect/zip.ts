/**
 * A student's zip, read without trusting it: as a stream (yauzl), never unpacked to disk. Only the
 * listing is read up front; a file's bytes are read when it is graded, capped. Refused whole, with
 * the reason, when it would unpack to more than ZIP_CAPS allow (the sizes its directory declares,
 * and the ratio of each entry's size to its compressed size: a zip bomb). Entries are skipped, each
 * with a reason, when their names leave the folder (`../`, `/etc/…`, `C:\…`), or they are links,
 * encrypted, or zips themselves (one level of unpacking only). yauzl checks that an entry inflates
 * to exactly its declared size, so a lying header cannot pass the caps either.
 */
import * as fs from "node:fs";
import * as yauzl from "yauzl";
import { text, type Text } from "../i18n";

export const ZIP_CAPS = Object.freeze({
  /** Largest zip file opened. */
  archiveBytes: 50 * 1024 * 1024,
  /** Entries in one zip. */
  entries: 10_000,
  /** What all entries of one zip declare, unpacked. */
  unpackedBytes: 200 * 1024 * 1024,
  /** Unpacked / compressed size of one entry (text compresses 3–10×; zip bombs 1000×). */
  ratio: 100,
  /** Entries smaller than this are not held to the ratio (a kilobyte of spaces compresses well). */
  ratioFloorBytes: 64 * 1024,
});

export interface ZipEntry {
  /** The path inside the zip (forward slashes, checked: no `..`, not absolute). */
  path: string;
  size: number;
  /** The entry's bytes, or an error message when it is larger than `max` or cannot be read. */
  read(max: number): Promise<Buffer | { error: Text }>;
}

export interface ZipListing {
  entries: ZipEntry[];
  /** Entries skipped, and why (shown to the student and the TA). */
  skipped: { path: string; why: Text }[];
  /** Why the zip was not opened at all, or null. */
  refused: Text | null;
  close(): void;
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;

function refused(why: Text): ZipListing {
  return { entries: [], skipped: [], refused: why, close: () => undefined };
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    // Not following a link: the caller lstat'ed the file; O_NOFOLLOW keeps it from being swapped since.
    let fd: number;
    try {
      fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
    } catch (e) {
      reject(e);
      return;
    }
    yauzl.fromFd(fd, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false }, (err, zip) => (err ? (fs.closeSync(fd), reject(err)) : resolve(zip)));
  });
}

function readStream(zip: yauzl.ZipFile, entry: yauzl.Entry, max: number): Promise<Buffer | { error: Text }> {
  return new Promise((resolve) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err) return resolve({ error: text(`无法解压：${err.message}`, `could not be unpacked: ${err.message}`) });
      const chunks: Buffer[] = [];
      let length = 0;
      stream.on("data", (c: Buffer) => {
        length += c.length;
        if (length > max) {
          stream.destroy();
          resolve({ error: text(`解压后超过 ${max / 1024} KB`, `larger than ${max / 1024} KB unpacked`) });
        } else chunks.push(c);
      });
      stream.on("error", (e) => resolve({ error: text(`无法解压：${e.message}`, `could not be unpacked: ${e.message}`) }));
      stream.on("end", () => resolve(Buffer.concat(chunks)));
    });
  });
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** The listing of a zip file, or why it was not opened. Never throws. */
export async function listZip(file: string): Promise<ZipListing> {
  let size: number;
  try {
    size = fs.lstatSync(file).size;
  } catch (e) {
    return refused(text(`无法读取：${(e as Error).message}`, `could not be read: ${(e as Error).message}`));
  }
  if (size > ZIP_CAPS.archiveBytes) return refused(text(`没有打开：压缩包有 ${mb(size)}（上限 ${mb(ZIP_CAPS.archiveBytes)}）`, `not opened: the zip is ${mb(size)} (at most ${mb(ZIP_CAPS.archiveBytes)})`));
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(file);
  } catch (e) {
    return refused(text(`没有打开：不是有效的 zip 文件（${(e as Error).message}）`, `not opened: not a valid zip file (${(e as Error).message})`));
  }
  if (zip.entryCount > ZIP_CAPS.entries) {
    zip.close();
    return refused(text(`没有打开：其中有 ${zip.entryCount} 个条目（上限 ${ZIP_CAPS.entries}）`, `not opened: it holds ${zip.entryCount} entries (at most ${ZIP_CAPS.entries})`));
  }
  const entries: ZipEntry[] = [];
  const skipped: { path: string; why: Text }[] = [];
  let declared = 0;
  let bomb: Text | null = null;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on("error", reject);
      zip.on("end", () => resolve());
      zip.on("entry", (entry: yauzl.Entry) => {
        const raw = entry.fileName as unknown as Buffer;
        const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, false).replace(/\\/g, "/");
        const bad = yauzl.validateFileName(name);
        const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
        declared += entry.uncompressedSize;
        if (declared > ZIP_CAPS.unpackedBytes) {
          bomb = text(`没有打开：解压后超过 ${mb(ZIP_CAPS.unpackedBytes)}`, `not opened: it would unpack to more than ${mb(ZIP_CAPS.unpackedBytes)}`);
          return resolve();
        }
        const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
        if (entry.uncompressedSize > ZIP_CAPS.ratioFloorBytes && ratio > ZIP_CAPS.ratio) {
          bomb = text(`没有打开：${name} 的压缩比为 ${Math.round(ratio)}:1（上限 ${ZIP_CAPS.ratio}:1，像是"zip 炸弹"）`, `not opened: ${name} is compressed ${Math.round(ratio)}:1 (at most ${ZIP_CAPS.ratio}:1: a zip bomb?)`);
          return resolve();
        }
        if (name.endsWith("/")) {
          // a folder: nothing to read
        } else if (bad) skipped.push({ path: name, why: text("跳过：路径指向压缩包之外", "skipped: its path leads out of the zip's folder") });
        else if (mode === S_IFLNK) skipped.push({ path: name, why: text("跳过：符号链接", "skipped: a symbolic link") });
        else if (entry.isEncrypted()) skipped.push({ path: name, why: text("跳过：已加密", "skipped: encrypted") });
        else entries.push({ path: name, size: entry.uncompressedSize, read: (max) => readStream(zip, entry, max) });
        zip.readEntry();
      });
      zip.readEntry();
    });
  } catch (e) {
    zip.close();
    return refused(text(`没有打开：压缩包已损坏（${(e as Error).message}）`, `not opened: the zip is damaged (${(e as Error).message})`));
  }
  if (bomb) {
    zip.close();
    return refused(bomb);
  }
  return { entries, skipped, refused: null, close: () => zip.close() };
}
