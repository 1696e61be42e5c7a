// A citation carries its chunk's collection and key, so it can be opened whole: GET /chunks/:doc?collection=&chunk=.
import { describe, expect, it } from "vitest";
import request from "supertest";
import type { Answer } from "../../src/domain/answer.js";
import type { DocumentChunks } from "../../src/http/api-types.js";
import { useTestApps } from "./harness.js";

const setup = useTestApps();
const KEYS = "content:sk-content:ingest+answer:default,other:sk-other:ingest+answer:faq,bot:sk-bot:answer:default";
const as = (key: string) => ({ Authorization: `Bearer ${key}` });
const RESET = "How do I factory reset the widget?";

async function cited(app: Parameters<typeof request>[0]): Promise<Answer["citations"][number]> {
  const res = await request(app).post("/answer").set(as("sk-content")).send({ question: RESET });
  expect(res.status).toBe(200);
  const citation = (res.body as Answer).citations[0];
  if (!citation) throw new Error("no citation");
  return citation;
}

describe("opening a citation's full chunk", () => {
  it("a citation names its collection and chunk (fields added, the old ones unchanged); the chunk opens with its section and text", async () => {
    const t = await setup({ apiKeys: KEYS });
    const c = await cited(t.app);
    expect(c).toMatchObject({ n: 1, documentId: "manual/widget.md", collection: "default", sectionPath: expect.arrayContaining(["Factory reset"]) });
    expect(typeof c.snippet).toBe("string");
    expect(c.chunkId).toMatch(/^default\/manual\/widget\.md#/);
    const res = await request(t.app).get(`/chunks/${c.documentId}?collection=${c.collection}&chunk=${encodeURIComponent(c.chunkId!)}`).set(as("sk-content"));
    expect(res.status).toBe(200);
    const body = res.body as DocumentChunks;
    expect(body.chunks).toHaveLength(1);
    expect(body.chunks[0]).toMatchObject({ id: c.chunkId, sectionPath: c.sectionPath });
    // The whole chunk: every step of the reset, not just the snippet's sentence.
    expect(body.chunks[0]?.text).toMatch(/Unplug the widget[\s\S]*reset pin[\s\S]*blue LED/);
  });

  it("another collection's key cannot open it (404 unnamed, 403 named); an unknown chunk is 404; a bot key has no /chunks", async () => {
    const t = await setup({ apiKeys: KEYS });
    const c = await cited(t.app);
    const path = `/chunks/${c.documentId}?chunk=${encodeURIComponent(c.chunkId!)}`;
    const unnamed = await request(t.app).get(path).set(as("sk-other"));
    expect(unnamed.status).toBe(404);
    expect(unnamed.text).not.toContain("reset pin");
    const named = await request(t.app).get(`${path}&collection=default`).set(as("sk-other"));
    expect(named.status).toBe(403);
    expect(named.headers["content-type"]).toMatch(/application\/problem\+json/);
    const unknown = await request(t.app).get(`/chunks/${c.documentId}?collection=default&chunk=default%2Fmanual%2Fwidget.md%23nope`).set(as("sk-content"));
    expect(unknown.status).toBe(404);
    expect(unknown.headers["content-type"]).toMatch(/application\/problem\+json/);
    expect((await request(t.app).get(`${path}&collection=default`).set(as("sk-bot"))).status).toBe(403);
  });
});
