/** The project's one HTML escaper (src/html/escape.ts): safe between tags and inside quoted attributes. */
import { describe, expect, it } from "vitest";
import { escapeHtml } from "../../src/html/escape";

describe("escapeHtml", () => {
  it("escapes the five characters that can end an element, an attribute or an entity", () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
  });
  it("leaves other text alone (CJK, newlines, emoji)", () => {
    expect(escapeHtml("汇聚层\n✓ 1 + 1 = 2")).toBe("汇聚层\n✓ 1 + 1 = 2");
  });
});
