import { afterEach, describe, expect, it } from "vitest";
import { createAnswering } from "../../src/container.js";
import { createApp } from "../../src/http/create-app.js";
import { openTestEngineWith } from "../support/temp-engine.js";
import { appDeps, captureLogger, listen } from "../http/harness.js";
import { converse, type ConversationReply as Reply } from "../support/converse.js";

/**
 * Each manual has the topic's section and a section that matches the follow-up's own words better ("stricter for
 * every user", "install … later", 删除): a follow-up searched without the earlier topic lands in the wrong one.
 */
const EN_MANUAL = `# Quarry Server Guide

## Login delay

After a wrong password the login prompt waits two seconds. To make the login delay stricter for every user, set
WAIT=10 in /etc/quarry/login.conf, so that every user waits ten seconds after each wrong password.

## Package mirror

A mirror keeps the installed copies of every user's packages and can be installed later on another host by the
mirror command.

## File mask

New files are created with the file mask 022 by default, so other accounts can read them.
The file mask lives in /etc/quarry/profile.
To make the file mask stricter, write mask=077 into /etc/quarry/profile; the new value holds for all accounts.

## Offline bundles

To fetch bundles without installing them, run quarry fetch --no-apply.
The fetched bundles stay in /var/quarry/cache until you run quarry apply, which sets them up.
`;

const ZH_MANUAL = `# 石场服务器手册

## 登录延迟

输入错误的密码后，登录提示会等待两秒。要让所有用户的登录延迟更长，请在 /etc/quarry/login.conf 中设置 WAIT=10。

## 计划任务

每个用户都有自己的任务表，运行 quarry-cron edit 即可编辑。
要去掉任务表中的某一行，运行 quarry-cron edit 后把对应的行删掉并保存。

## 日志清理

删除旧日志的任务会在每天凌晨运行，可在 /etc/quarry/logrotate 中修改删除的天数。
`;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function serve(files: Record<string, string>): Promise<string> {
  const t = await openTestEngineWith(files, { ANSWER_MIN_CONFIDENCE: "0" });
  cleanups.push(t.cleanup);
  const deps = appDeps(await createAnswering(t.engine), t.engine.store, { logger: captureLogger().logger });
  const server = await listen(createApp(deps));
  cleanups.push(server.close);
  return server.url;
}

const section = (r: Reply | undefined): string | undefined => r?.citations[0]?.sectionPath.at(-1);

describe("anaphoric follow-ups stay on the earlier topic", () => {
  it("English, three turns: 'that' and 'them' are answered from the topic's section, and the rewrite does not grow", async () => {
    const url = await serve({ "quarry.md": EN_MANUAL });
    for (const withReplies of [true, false]) {
      const [first, second, third] = await converse(url, [
        "What is the default file mask?",
        "How do I make that stricter for every user?",
        "Does that apply to existing accounts too?",
      ], withReplies);
      expect(section(first)).toBe("File mask");
      expect(second!.answer).toContain("mask=077");
      expect(section(second)).toBe("File mask");
      expect(section(third)).toBe("File mask");
      expect(third!.standaloneQuestion).not.toContain("stricter");
      expect(third!.standaloneQuestion.length).toBeLessThanOrEqual(second!.standaloneQuestion.length + 10);
    }
    const [, later] = await converse(url, ["How do I fetch bundles without installing them?", "And how do I install them later?"], false);
    expect(later!.answer).toContain("quarry apply");
    expect(section(later)).toBe("Offline bundles");
  });

  it("Chinese, three turns: 那…呢 and 其中 carry the topic; the reply's section is searched as well", async () => {
    const url = await serve({ "quarry-zh.md": ZH_MANUAL });
    const [first, second, third] = await converse(url, ["如何编辑自己的任务表？", "那怎么删除其中一行？", "那这个呢？"]);
    expect(section(first)).toBe("计划任务");
    expect(second!.standaloneQuestion).toContain("任务表");
    // 其中 points back at what the reply quoted: the title of its section is searched too.
    expect(second!.standaloneQuestion).toContain("（计划任务）");
    expect(section(second)).toBe("计划任务");
    expect(second!.answer).toContain("删掉");
    expect(section(third)).toBe("计划任务");
    expect(third!.standaloneQuestion.length).toBeLessThanOrEqual(second!.standaloneQuestion.length + 10);
  });

  it("a question naming its own topic is searched as asked, whatever came before", async () => {
    const url = await serve({ "quarry.md": EN_MANUAL });
    const [, own] = await converse(url, ["What is the default file mask?", "How do I set the login delay for every user?"]);
    expect(own!.standaloneQuestion).toBe("How do I set the login delay for every user?");
    expect(section(own)).toBe("Login delay");
  });
});
