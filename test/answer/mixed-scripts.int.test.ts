// A question is weighed on the passages its extractive reply may quote (its own script family), ranks and term
// statistics alike: a Chinese question beside English manuals that share its names gets the answer and the confidence
// it gets from the Chinese pages alone, an English question beside Chinese pages full of its names is not refused for
// want of English sources, and an off-topic question is not lifted by names that only the other script's pages hold.
// On both stores' keyword indexes (the PostgreSQL one counts a family's statistics only where a collection is mixed).
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createAnswering } from "../../src/container.js";
import type { Answer } from "../../src/domain/answer.js";
import { TEST_DATABASE_URL, dropSchema } from "../ports/pg-harness.js";
import { openTestEngineWith } from "../support/temp-engine.js";

const ZH_CRON: Record<string, string> = {
  "cron.md": `# 定时任务指南

## 星期字段

crontab 每行的第五个字段是星期字段（weekday），取值 0 到 7，其中 0 和 7 都表示星期日，1 表示星期一。

## 查看任务

运行 crontab -l 可以列出当前用户的全部定时任务。
`,
  "backup.md": `# 备份指南

## 恢复文件

在备份页面选择日期，然后点击恢复按钮即可恢复文件。
`,
};

/** English pages whose headings and text repeat "crontab" and the field names: they outrank the Chinese page. */
const EN_CRON: Record<string, string> = Object.fromEntries(
  ["weekday field", "minute field", "hour field", "month field", "environment", "mail output", "system crontab", "special strings"].map((topic, i) => [
    `cron-${i}.md`,
    `# Crontab Manual ${i}\n\n## Crontab ${topic}\n\nThe crontab ${topic} is described here. Each crontab line in the crontab file holds a schedule; ` +
      `crontab reads the crontab ${topic} when the daemon wakes. Use crontab -e to edit the crontab.\n`,
  ]),
);

const EN_ROUTER: Record<string, string> = {
  "router.md": "# Router Guide\n\n## Network settings\n\nOpen Settings, choose Network and type a new password to change the Wi-Fi password of the N2.\n",
  "lights.md": "# Router Lights\n\n## Lights\n\nA steady green light means the router is online.\n",
};

/** Chinese pages that write "N2 Wi-Fi password" in every heading and sentence: they take every rank from the English page. */
const ZH_ROUTER: Record<string, string> = Object.fromEntries(
  ["设置", "频段", "信道", "访客网络", "密码强度", "安全模式"].map((topic, i) => [
    `n2-${i}.md`,
    `# N2 Wi-Fi password 手册 ${i}\n\n## N2 Wi-Fi password ${topic}\n\nN2 的 Wi-Fi password ${topic}在这里说明。N2 Wi-Fi 的 password 可以在 N2 应用里查看，修改后生效。\n`,
  ]),
);

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Engine settings per store: SQLite (FTS5), and PostgreSQL (BM25 in SQL), each engine in a schema of its own. */
const BACKENDS: Array<[string, () => Record<string, string>]> = [
  ["SQLite", () => ({})],
  ["PostgreSQL", () => {
    const schema = `gl_test_${process.pid}_${randomBytes(6).toString("hex")}`;
    cleanups.push(() => dropSchema(schema));
    return { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, REDIS_URL: "redis://127.0.0.1:6379" };
  }],
];

describe.each(BACKENDS)("a question beside documents in the other script (%s)", (_name, settings) => {
  async function ask(files: Record<string, string>, question: string): Promise<Answer> {
    const t = await openTestEngineWith(files, settings());
    cleanups.push(t.cleanup);
    return (await createAnswering(t.engine)).answer({ question });
  }

  it("answers a Chinese question beside English manuals as it does from the Chinese pages alone", async () => {
    const question = "crontab 的 weekday 字段取值范围是多少？";
    const alone = await ask(ZH_CRON, question);
    const mixed = await ask({ ...ZH_CRON, ...EN_CRON }, question);
    expect(alone.answerable).toBe(true);
    expect(mixed.answerable).toBe(true);
    expect(mixed.answer).toContain("星期日");
    expect(mixed.citations.map((c) => c.documentId)).toEqual(["cron.md"]);
    // The English pages count neither in the IDF nor in which terms no chunk holds (they did: 0.05 apart).
    expect(mixed.confidence).toBeCloseTo(alone.confidence, 3);
  });

  it("answers an English question beside Chinese pages as it does from the English pages alone", async () => {
    const question = "What is the N2 Wi-Fi password?";
    const alone = await ask(EN_ROUTER, question);
    const mixed = await ask({ ...EN_ROUTER, ...ZH_ROUTER }, question);
    expect(alone.answerable).toBe(true);
    expect(mixed.answerable).toBe(true);
    expect(mixed.answer).toContain("type a new password");
    expect(mixed.answer).not.toMatch(/\p{Script=Han}/u);
    expect(mixed.citations.map((c) => c.documentId)).toEqual(["router.md"]);
    expect(mixed.confidence).toBeCloseTo(alone.confidence, 3);
  });

  it("refuses a question whose names only pages in the other script hold, as the pages it may quote alone would", async () => {
    // The Chinese page writes "crontab" and "weekday"; counted as seen, they made the router manual look like it covers
    // the question.
    const question = "What does the crontab weekday field mean?";
    const alone = await ask(EN_ROUTER, question);
    const mixed = await ask({ ...EN_ROUTER, ...ZH_CRON }, question);
    expect(alone.answerable).toBe(false);
    expect(mixed.answerable).toBe(false);
    expect(mixed.confidence).toBeCloseTo(alone.confidence, 3);
    // And the same the other way round: a Chinese question naming what only the English manuals hold.
    const zhQuestion = "crontab 的星期字段是什么意思？";
    const zhAlone = await ask(ZH_ROUTER, zhQuestion);
    const zhMixed = await ask({ ...ZH_ROUTER, ...EN_CRON }, zhQuestion);
    expect(zhMixed.answerable).toBe(false);
    expect(zhMixed.confidence).toBeCloseTo(zhAlone.confidence, 3);
  });
});
