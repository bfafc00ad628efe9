/** node:path in the kernel's worker: the POSIX join the module uses to find its files (./fs.ts). */
export function join(...parts: string[]): string {
  const out: string[] = [];
  for (const segment of parts.join("/").split("/")) {
    if (segment === "..") out.pop();
    else if (segment && segment !== ".") out.push(segment);
  }
  return (parts[0]?.startsWith("/") ? "/" : "") + out.join("/");
}
export const resolve = (...parts: string[]): string => join("/", ...parts);
export const dirname = (p: string): string => join(p, "..");
export const basename = (p: string): string => p.split("/").filter(Boolean).pop() ?? "";
export default { join, resolve, dirname, basename };
