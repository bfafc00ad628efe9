/** The grader's two languages (src/grader/i18n.ts): texts carry both; the language comes from --lang or the locale. */
import { describe, expect, it } from "vitest";
import { inLang, join, langFromEnv, parseLang, same, text } from "../../../src/grader/i18n";
import { block, fail, type Report } from "../../../src/grader/spec/feedback";
import type { CheckSpec, Hint } from "../../../src/grader/spec/calls";

describe("i18n", () => {
  it("a text carries both languages and renders one", () => {
    const t = join([text("步幅", "stride"), " = 2"]);
    expect(inLang(t, "zh")).toBe("步幅 = 2");
    expect(inLang(t, "en")).toBe("stride = 2");
    expect(join([same("a"), text("乙", "b")], text("，", ", "))).toEqual({ zh: "a，乙", en: "a, b" });
  });

  it("the locale decides as gettext does: LC_ALL, then LC_MESSAGES, then LANG; English otherwise", () => {
    expect(langFromEnv({ LANG: "zh_CN.UTF-8" })).toBe("zh");
    expect(langFromEnv({ LANG: "zh_TW.UTF-8" })).toBe("zh");
    expect(langFromEnv({ LANG: "zh" })).toBe("zh");
    expect(langFromEnv({ LANG: "en_US.UTF-8" })).toBe("en");
    expect(langFromEnv({ LC_ALL: "en_GB.UTF-8", LANG: "zh_CN.UTF-8" })).toBe("en");
    expect(langFromEnv({ LC_MESSAGES: "zh_CN.UTF-8", LANG: "C" })).toBe("zh");
    expect(langFromEnv({})).toBe("en");
    expect(langFromEnv({ LANG: "zhuang" })).toBe("en");
  });

  it("--lang takes zh or en (and their locale spellings), and says what it takes otherwise", () => {
    expect(parseLang("zh")).toBe("zh");
    expect(parseLang("zh-CN")).toBe("zh");
    expect(parseLang("EN")).toBe("en");
    expect(() => parseLang("fr")).toThrow(/--lang fr: the grader speaks zh \(中文\) and en \(English\)/);
  });

  it("a spec's message in one language only does not compile (npm test type-checks this file)", () => {
    // Never called: the @ts-expect-error lines are the test — tsc fails if any of them compiles.
    const oneLanguage = () => {
      // @ts-expect-error a headline is a Text, not a plain string
      fail("wrong shape");
      // @ts-expect-error likewise in a report
      const report: Report = { headline: "wrong shape", hint: text("提示", "hint") };
      // @ts-expect-error a hint is a Text
      const hint: Hint = "padding is per side";
      // @ts-expect-error a hint chosen from the outcome returns a Text
      const chosen: Hint = () => "padding is per side";
      // @ts-expect-error a spec's hint
      const spec: CheckSpec = { fn: "f", args: [], expected: 1, hint: "padding is per side" };
      // @ts-expect-error a label (code is said with same())
      block("X", 1);
      return [report, hint, chosen, spec];
    };
    expect(typeof oneLanguage).toBe("function");
    // What compiles: both languages, or code that reads the same in both.
    const ok: Report = { headline: text("形状不对", "wrong shape"), notes: [block(same("X"), 1)], hint: text("填充按每一侧计", "padding is per side") };
    expect(inLang(ok.headline, "zh")).toBe("形状不对");
  });
});
