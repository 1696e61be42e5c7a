// The extractive composer never quotes a passage in another script family than the question (an English question
// answered with a Chinese sentence matched only on shared names), and still answers in the asker's own language.
import { afterEach, describe, expect, it } from "vitest";
import { createAnswering } from "../../src/container.js";
import { openTestEngineWith } from "../support/temp-engine.js";

const ZH_GUIDE = `# 云帆 N2 使用指南

## 网络

N2 不支持仅通过 Wi-Fi 完成初始化，请先用网线连接路由器。

## 回收站

在「设置」中勾选「启用回收站」即可开启回收站。
`;

const EN_GUIDE = `# Lamp Guide

## Brightness

Turn the dial clockwise to make the lamp brighter.
`;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function answering() {
  const t = await openTestEngineWith({ "nas.md": ZH_GUIDE, "lamp.md": EN_GUIDE }, { ANSWER_MIN_CONFIDENCE: "0" });
  cleanups.push(t.cleanup);
  return createAnswering(t.engine);
}

describe("extractive answers across scripts", () => {
  it("refuses an English question whose only match is a Chinese passage", async () => {
    const a = await answering();
    const reply = await a.answer({ question: "How do I reset my N2 Wi-Fi router?" });
    expect(reply.answer).not.toMatch(/\p{Script=Han}/u);
    expect(reply.citations.every((c) => c.documentId !== "nas.md")).toBe(true);
  });

  it("still answers a Chinese question from the Chinese passage and an English one from the English passage", async () => {
    const a = await answering();
    const zh = await a.answer({ question: "怎么开启回收站？" });
    expect(zh.answerable).toBe(true);
    expect(zh.answer).toContain("启用回收站");
    const en = await a.answer({ question: "How do I make the lamp brighter?" });
    expect(en.answerable).toBe(true);
    expect(en.answer).toContain("clockwise");
  });
});
