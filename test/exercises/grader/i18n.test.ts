/** The grader's two languages (src/grader/i18n.ts): texts carry both; the language comes from --lang or the locale. */
import { describe, expect, it } from "vitest";
import { inLang, join, langFromEnv, parseLang, same, text } from "../../../src/grader/i18n";

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
});
