/** What the grader prints of a submission's text is safe on a terminal (src/grader/terminal.ts). */
import { describe, expect, it } from "vitest";
import { safeLine, safeText } from "../../../src/grader/terminal";

describe("terminal-safe text", () => {
  it("shows escape sequences instead of sending them: title, clipboard, hidden text, bidi overrides", () => {
    const hostile = "a\x1b]0;pwned\x07b\x1b]52;c;ZXZpbA==\x07c\x1b[8md\u202eevil\u009b";
    const shown = safeText(hostile);
    expect(shown).toBe("a\\x1b]0;pwned\\x07b\\x1b]52;c;ZXZpbA==\\x07c\\x1b[8md\\u202eevil\\x9b");
    expect(shown).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  });

  it("keeps newlines and tabs in text, and makes one line of a name; ordinary Unicode is left alone", () => {
    expect(safeText("line 1\n\tline 2\r")).toBe("line 1\n\tline 2\\x0d");
    expect(safeLine("alice\nbob")).toBe("alice\\x0abob");
    expect(safeLine("汇聚层 ✓ é")).toBe("汇聚层 ✓ é");
  });
});
