/**
 * Text a submission controls (its folder name, its error messages, its file names), made safe to
 * print on a terminal: control characters — escape sequences that set the window title, write the
 * clipboard or hide text — and the bidirectional-override characters that reorder what is shown
 * become visible `\x1b`, `\u202e`. Tabs stay; newlines stay unless the text must be one line.
 */
const UNSAFE_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_ONE_LINE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** Safe to print; newlines kept. */
export function safeText(text: string): string {
  return text.replace(UNSAFE_LINES, visible);
}

/** Safe to print on one line: newlines shown as `\x0a` too. */
export function safeLine(text: string): string {
  return text.replace(UNSAFE_ONE_LINE, visible);
}
