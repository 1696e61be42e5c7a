import { afterEach, describe, expect, it } from "vitest";
import { createAnswering } from "../../src/container.js";
import { createApp } from "../../src/http/create-app.js";
import { openTestEngineWith } from "../support/temp-engine.js";
import { startOpenAIStub, type OpenAIStub, type StubChatRequest } from "../support/openai-stub-server.js";
import { appDeps, captureLogger, listen } from "../http/harness.js";
import { converse, type ConversationReply as Reply } from "../support/converse.js";

const MANUAL = `# Hub Manual

## Night mode

Press the moon button once to turn on night mode. The LED ring dims to ten percent while night mode is on.

## Leaving night mode

Press and hold the moon button for three seconds to leave night mode and return the LED ring to full brightness.

## Remote control

Pair the remote by holding its Home key for five seconds until its light blinks.
`;

let stub: OpenAIStub | undefined;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await stub?.close();
  stub = undefined;
});

async function serve(env: Record<string, string> = {}) {
  const t = await openTestEngineWith({ "hub.md": MANUAL }, { ANSWER_MIN_CONFIDENCE: "0", ...env });
  cleanups.push(t.cleanup);
  const { logger, logs } = captureLogger();
  const deps = appDeps(await createAnswering(t.engine), t.engine.store, { logger });
  const server = await listen(createApp(deps));
  cleanups.push(server.close);
  return { url: server.url, logs };
}


describe("follow-ups over three turns", () => {
  it("extractive: 'undo that' answers the reversal, not the first answer again; the rewrite does not grow", async () => {
    const { url } = await serve();
    const [first, undo, third] = await converse(url, ["How do I turn on night mode?", "and how do I undo that?", "Is that permanent?"]);
    expect(first!.answer).toContain("Press the moon button once");
    expect(undo!.answer).toContain("three seconds");
    expect(undo!.answer).not.toBe(first!.answer);
    expect(undo!.standaloneQuestion).toMatch(/undo/);
    expect(undo!.standaloneQuestion).toMatch(/night mode/);
    expect(third!.standaloneQuestion).toMatch(/night mode/);
    expect(third!.standaloneQuestion).not.toMatch(/undo that/);
    // "that" may also carry the title of the section the undo reply quoted (one title, in square brackets): apart from
    // it, the rewrite is the topic plus the follow-up, never the previous rewrite.
    expect(third!.standaloneQuestion.match(/\[/g)?.length ?? 0).toBeLessThanOrEqual(1);
    expect(third!.standaloneQuestion.replace(/\s*\[[^\]]*\]/, "").length).toBeLessThanOrEqual(undo!.standaloneQuestion.length + 10);
  });

  it("LLM path: the model rewrites follow-ups (condense is wired); a failed rewrite falls back, is logged and counted", async () => {
    const rewrites: string[] = [];
    const model = (request: StubChatRequest): string => {
      const system = typeof request.messages[0]?.content === "string" ? request.messages[0].content : "";
      if (system.startsWith("Rewrite the customer's last message")) {
        const user = String(request.messages[1]?.content ?? "");
        rewrites.push(user);
        return /Last message: and how do I undo that/.test(user) ? "How do I leave night mode?" : "Is night mode permanent?";
      }
      const all = request.messages.map((m) => (typeof m.content === "string" ? m.content : "")).join("\n");
      const leave = /<source n="(\d+)"[^>]*>[^<]*for three seconds/.exec(all)?.[1];
      const on = /<source n="(\d+)"[^>]*>[^<]*button once/.exec(all)?.[1];
      if (/leave night mode/i.test(String(request.messages[1]?.content)) && leave) return `Press and hold the moon button for three seconds to leave night mode [${leave}].`;
      if (on) return `Press the moon button once to turn on night mode [${on}].`;
      return "NO_ANSWER";
    };
    stub = await startOpenAIStub({ reply: model });
    const { url, logs } = await serve({ ANSWER_COMPOSER: "llm", CHAT_BASE_URL: stub.url, CHAT_API_KEY: "test" });
    const [first, undo, third] = await converse(url, ["How do I turn on night mode?", "and how do I undo that?", "Is that permanent?"]);
    expect(first!.answer).toContain("once");
    expect(undo!.standaloneQuestion).toBe("How do I leave night mode?");
    expect(undo!.answer).toContain("three seconds");
    expect(third!.standaloneQuestion).toBe("Is night mode permanent?");
    expect(rewrites).toHaveLength(2);
    // The model sees a bounded conversation, never a growing rewrite.
    expect(rewrites[1]).toContain("Last message: Is that permanent?");

    stub.setBehaviour({ status: 500 });
    const [, failed] = await converse(url, ["How do I turn on night mode?", "and how do I undo that?"]);
    expect(failed!.standaloneQuestion).toMatch(/undo that \(turn on night mode\)/);
    expect(logs.join("")).toContain("condense-failed");
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/groundline_llm_fallbacks_total\{reason="condense-failed"\} 1/);
    expect(metrics).toMatch(/groundline_llm_fallbacks_total\{reason="compose-model-error"\} [1-9]/);
  });
});
