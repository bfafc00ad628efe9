/** Small readers of markdown text, for the tests that check what a README names. */

/** `npm run X`, `npm start`, `npm test`, `npm ci` as they appear in the text (X, "start", "test", "ci"). */
export function npmCommands(text: string): string[] {
  return [...text.matchAll(/\bnpm (run ([\w:-]+)|start|test|ci)\b/g)].map((m) => m[2] ?? m[1]);
}

/** Relative link targets (no http(s):, mailto: or #anchors). */
export function relativeLinks(text: string): string[] {
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1].split("#")[0]).filter((t) => t && !/^[a-z]+:/i.test(t));
}
