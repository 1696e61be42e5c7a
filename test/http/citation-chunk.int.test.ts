// A citation carries its chunk's collection and key, so it can be opened whole: GET /chunks/:doc?collection=&chunk=.
import { describe, expect, it } from "vitest";
import request from "supertest";
import type { Answer } from "../../src/domain/answer.js";
import type { DocumentChunks } from "../../src/http/api-types.js";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PAGE_BREAK } from "../../src/domain/chunk.js";
import { makePdf } from "../ingest/loaders/pdf-fixtures.js";
import { ingestInto } from "../support/temp-engine.js";
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

describe("a chunk that runs over a page break", () => {
  it("opens without the internal page-break mark, its words intact", async () => {
    const t = await setup();
    const dir = join(tmpdir(), `chunk-pdf-${process.pid}-${Date.now()}`);
    mkdirSync(dir, { recursive: true });
    const filler = (page: number) => Array.from({ length: 6 }, (_, i) => `Page ${page} line ${i + 1} explains the gizmo calibration step in detail.`);
    writeFileSync(join(dir, "gizmo.pdf"), await makePdf({ pages: [filler(1), filler(2)] }));
    await ingestInto(t.engine, [dir]);
    rmSync(dir, { recursive: true, force: true });
    const stored = await t.store.getDocumentChunks("default", "gizmo.pdf");
    expect(stored.some((c) => c.text.includes(PAGE_BREAK))).toBe(true);
    const res = await request(t.app).get("/chunks/gizmo.pdf?collection=default");
    expect(res.status).toBe(200);
    const texts = (res.body as DocumentChunks).chunks.map((c) => c.text);
    expect(texts.join("")).not.toContain(PAGE_BREAK);
    expect(texts.join(" ")).toMatch(/Page 1 line 6[\s\S]*Page 2 line 1/);
  });
});
