import { describe, expect, it } from "vitest";
import { analyze, queryTermSequence, queryTerms } from "../../src/text/analyzer.js";
import { detectLanguage } from "../../src/text/language.js";
import { countTokens } from "../../src/text/tokens.js";

describe("analyzer", () => {
  it("stems English, drops stop words and keeps meaningful short words", () => {
    expect(analyze("How do I turn off the pairing lights?")).toEqual(["turn", "off", "pair", "light"]);
  });

  it("adds joined forms of compounds so error codes match either spelling", () => {
    const terms = analyze("Error E-101 on HDMI-CEC");
    expect(terms).toContain("e101");
    expect(terms).toContain("hdmicec");
    expect(analyze("error e101")).toContain("e101");
  });

  it("segments Chinese into words plus character bigrams, and never glues CJK to digits", () => {
    const terms = analyze("第13步：重置设备");
    expect(terms).toContain("13");
    expect(terms).toContain("重置");
    expect(terms).toContain("设备");
    expect(terms.some((t) => /\d/.test(t) && /\p{Script=Han}/u.test(t))).toBe(false);
  });

  it("query terms are unique; the sequence keeps their order and repeats", () => {
    expect(queryTerms("reset reset the hub")).toEqual(["reset", "hub"]);
    expect(queryTermSequence("Does it boot with secure boot on?")).toEqual(["boot", "secur", "boot", "on"]);
    expect(queryTermSequence("What does it mean?")).toEqual(["mean"]);
    // CJK terms once each, in the order queryTerms gives them.
    expect(queryTermSequence("重置设备，重置设备")).toEqual(queryTerms("重置设备，重置设备"));
  });

  it("reads English clitics as words: possessives and contractions leave no one-letter or glued terms", () => {
    expect(analyze("the TV's remote")).toEqual(["tv", "remot"]);
    expect(analyze("Debian’s repositories")).toEqual(["debian", "repositori"]);
    expect(queryTerms("once I'm booted, what's next? I'd like logs")).toEqual(["onc", "boot", "next", "like", "log"]);
    // "n't" is "not", as the same sentence written out gives it.
    expect(analyze("the ISO isn't corrupted")).toEqual(analyze("the ISO is not corrupted"));
    expect(analyze("it won't boot and I can't log in")).toEqual(["not", "boot", "not", "log"]);
    // Typed without the apostrophe, the same (where the bare form is no other word).
    expect(analyze("im sure it doesnt boot, whats wrong")).toEqual(analyze("I'm sure it doesn't boot, what's wrong"));
    expect(analyze("the shell its id")).toEqual(["shell", "id"]);
    // Not a clitic: an apostrophe inside a name or a non-English elision stays a compound.
    expect(analyze("O'Reilly")).toEqual(["o", "reilli", "oreilly"]);
    expect(analyze("l'ordinateur")).toContain("ordinateur");
  });

  it("keeps command-line options as literal terms beside their words", () => {
    expect(analyze("run apt-get -u upgrade")).toEqual(["run", "apt", "aptget", "-u", "upgrad"]);
    expect(analyze("dpkg -l")).toEqual(["dpkg", "-l"]);
    expect(analyze("apt-get remove --purge foo")).toContain("--purge");
    // The word stays searchable, so prose about purging still meets the option.
    expect(analyze("--purge")).toContain(analyze("purge")[0]);
    expect(analyze("(-lpng)")).toContain("-lpng");
    // An en dash is a typeset "--"; a Unicode minus is a dash.
    expect(analyze("reportbug –configure")).toContain("--configure");
    expect(analyze("ls \u2212l")).toContain("-l");
    // Hyphens inside words, minus signs before digits and prose dashes are not options.
    for (const text of ["non-free firmware", "error E-101", "pages 10--20", "minus -5", "one - two", "a --- b", "libpng-dev"]) {
      expect(analyze(text).some((t) => t.startsWith("-")), text).toBe(false);
    }
    expect(queryTerms("what does dpkg -l show?")).toEqual(["dpkg", "-l", "show"]);
  });

  it("drops question fillers from questions only, unless nothing else is left", () => {
    expect(queryTerms("Please explain how to reset the remote")).toEqual(["reset", "remot"]);
    expect(analyze("Please explain how to reset the remote")).toContain("explain");
    expect(queryTerms("What does it mean?")).toEqual(["mean"]);
    expect(queryTerms("重要通知怎么办")).not.toContain("怎么办");
    // Segmenter words that ask "when" or "which day" are no topic, nor are the bigrams inside them.
    expect(queryTerms("备份是在什么时候运行？")).toEqual(["备份", "运行"]);
    expect(queryTerms("星期字段表示哪一天？")).not.toContain("一天");
    // "How many" with its measure word, and the "办" the segmenter leaves of "怎么办", are no topic either.
    expect(queryTerms("服务器需要几块网卡？")).not.toEqual(expect.arrayContaining(["几块"]));
    expect(queryTerms("服务器需要几块网卡？").some((t) => t.includes("几"))).toBe(false);
    expect(queryTerms("分区满了怎么办？")).not.toContain("办");
    expect(analyze("几乎所有的网卡")).toContain("几乎");
  });

  it("drops a long question filler typed with one slip, and only from questions", () => {
    // A letter left out, two letters swapped, one letter wrong: still the filler the customer meant.
    expect(queryTerms("is it posible to pair the remote")).toEqual(["pair", "remot"]);
    expect(queryTerms("can somone expalin the sleep timer")).toEqual(["sleep", "timer"]);
    expect(queryTerms("is it possibel to mute the speaker")).toEqual(["mute", "speaker"]);
    // A letter added mostly makes another word; short words are too close to others to judge.
    expect(queryTerms("which provider explains the fees")).toEqual(expect.arrayContaining(["provid", "fee"]));
    expect(queryTerms("wich remote")).toContain("wich");
    expect(analyze("it is posible")).toContain("posibl");
  });

  it("reads an irregular verb's simple past as its participle, so a told story meets the manual's wording", () => {
    expect(queryTerms("I broke the grub config")).toEqual(analyze("broken grub config"));
    expect(analyze("Recovering a Broken System")).toEqual(expect.arrayContaining(queryTerms("my system broke")));
    expect(analyze("the screen froze")).toEqual(analyze("the screen frozen"));
    // A regular verb needs no list (Porter joins its forms), and words that are not such a past form are kept.
    expect(analyze("it booted")).toEqual(analyze("it boot"));
    expect(analyze("shown built sent stuck")).toEqual(["shown", "built", "sent", "stuck"]);
    expect(analyze("broken")).not.toEqual(analyze("break"));
  });

  it("questions keep no bigram straddling two Chinese words; indexed text keeps them all", () => {
    // Intl.Segmenter: 设置|员工|的|角色.
    expect(queryTerms("如何设置员工的角色？")).toEqual(["设置", "员工", "角色"]);
    expect(analyze("设置员工的角色")).toContain("置员");
    // A single-character word still joins its neighbours: 删除|已|创建 keeps "除已" and "已创".
    expect(queryTerms("如何删除已创建的应用")).toEqual(["删除", "创建", "应用", "除已", "已创"]);
  });

  it("never builds Chinese bigrams across stop words", () => {
    const terms = analyze("重要通知怎么发给家长");
    expect(terms).toContain("通知");
    expect(terms).toContain("家长");
    expect(terms).not.toContain("知怎");
    expect(terms).not.toContain("么发");
    expect(terms).not.toContain("给家");
  });
});

describe("language detection", () => {
  it("tells English, German, Chinese and Japanese apart", () => {
    expect(detectLanguage("How do I reset the remote control?")).toBe("en");
    expect(detectLanguage("Wie kann ich die Fernbedienung zurücksetzen? Das ist nicht gut.")).toBe("de");
    expect(detectLanguage("遥控器怎么重置？")).toBe("zh");
    expect(detectLanguage("リモコンをリセットするにはどうすればいいですか")).toBe("ja");
  });

  it("gets short customer questions right", () => {
    expect(detectLanguage("where do I buy replacement remote?")).toBe("en");
    expect(detectLanguage("Funciona en 220v?")).toBe("es");
    expect(detectLanguage("¿Cómo conecto el control remoto?")).toBe("es");
  });
});

describe("token estimate", () => {
  it("counts one token per CJK character and about one per short word", () => {
    expect(countTokens("重置设备")).toBe(4);
    expect(countTokens("reset the hub")).toBe(3);
    expect(countTokens("第13步")).toBe(3);
  });
});
