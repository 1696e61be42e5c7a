// /curated through HTTP with real keys (issue #14, item 4): writes need `curate`, reads `ingest` or `curate`; a
// collection-limited key never lists, reads, revises or deletes another collection's curated answers (the same 404 as
// a missing one when it does not name it, 403 when it names it); every rejected request leaves the store unchanged
// and answers problem+json; versions record the key's name, never the key.
import { describe, expect, it } from "vitest";
import { API_KEYS, call, expectProblem, KEY, type Res, useSecServer } from "./harness.js";

const CURATOR = { name: "curM", key: "sk-curator-manuals" } as const;

const body = (collection: string | undefined, n = 1) => ({
  question: `How do I pair the remote with the widget (${n})?`,
  answer: "Hold the OK and Back buttons on the remote for five seconds until the LED blinks blue.",
  ...(collection ? { collection } : {}),
});

describe("/curated: scopes, collections and problem+json", () => {
  const server = useSecServer({ env: { API_KEYS: `${API_KEYS},${CURATOR.name}:${CURATOR.key}:curate:manuals` } });

  /** Every curated answer with its versions, as the unlimited admin sees them (curated.db is not in the store dump). */
  async function curatedDump(): Promise<unknown[]> {
    const s = server();
    const list = await call(s.url, "GET", "/curated?limit=500", { key: KEY.ops });
    const items = (list.body?.["items"] ?? []) as Array<{ id: string; collection: string }>;
    return Promise.all(items.map(async (i) => (await call(s.url, "GET", `/curated/${i.id}?collection=${i.collection}`, { key: KEY.ops })).body));
  }

  /** A request that must be refused with `status` and change nothing stored: documents, chunks, curated versions. */
  async function refused(status: number, method: string, path: string, key: string | undefined, json?: unknown): Promise<Res> {
    const s = server();
    const before = s.dump();
    const curatedBefore = await curatedDump();
    const res = await call(s.url, method, path, { ...(key ? { key } : {}), ...(json !== undefined ? { json } : {}) });
    expectProblem(res, status);
    expect(s.dump()).toEqual(before);
    expect(await curatedDump()).toEqual(curatedBefore);
    return res;
  }

  it("writes need the curate scope; reads ingest or curate; a key without either sees nothing", async () => {
    const s = server();
    const created = await call(s.url, "POST", "/curated", { key: CURATOR.key, json: body(undefined) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ collection: "manuals", version: 1, author: CURATOR.name });
    expect(created.text).not.toContain(CURATOR.key);
    const id = String(created.body?.["id"]);
    for (const [method, path, json] of [
      ["POST", "/curated", body("manuals")],
      ["PUT", `/curated/${id}?collection=manuals`, body("manuals")],
      ["DELETE", `/curated/${id}?collection=manuals`, undefined],
    ] as const) {
      await refused(401, method, path, undefined, json);
      await refused(401, method, path, "sk-wrong", json);
      await refused(403, method, path, KEY.bot, json);
      await refused(403, method, path, KEY.widget, json);
      // An ingest key reads curated answers but does not write them.
      await refused(403, method, path, KEY.content, json);
    }
    for (const path of ["/curated", `/curated/${id}?collection=manuals`]) {
      await refused(403, "GET", path, KEY.bot);
      await refused(403, "GET", path, KEY.agent);
      expect((await call(s.url, "GET", path, { key: KEY.content })).status).toBe(200);
      expect((await call(s.url, "GET", path, { key: CURATOR.key })).status).toBe(200);
    }
  });

  it("another collection's curated answers: 403 when named, the same 404 as a missing one when not", async () => {
    const s = server();
    const secret = await call(s.url, "POST", "/curated", { key: KEY.ops, json: body("secret", 2) });
    expect(secret.status).toBe(201);
    const id = String(secret.body?.["id"]);
    await refused(403, "POST", "/curated", CURATOR.key, body("secret"));
    await refused(403, "POST", "/curated?collection=secret", CURATOR.key, body(undefined));
    await refused(403, "GET", "/curated?collection=secret", CURATOR.key);
    await refused(403, "GET", `/curated/${id}?collection=secret`, CURATOR.key);
    const missing = await refused(404, "GET", "/curated/curated-00000000-0000-0000-0000-000000000000", CURATOR.key);
    const other = await refused(404, "GET", `/curated/${id}`, CURATOR.key);
    expect(other.body?.["detail"]).toBe(String(missing.body?.["detail"]).replace("curated-00000000-0000-0000-0000-000000000000", id));
    await refused(404, "PUT", `/curated/${id}`, CURATOR.key, body(undefined));
    await refused(404, "DELETE", `/curated/${id}`, CURATOR.key);
    // Listing without a collection shows only the key's own collections.
    const list = await call(s.url, "GET", "/curated", { key: CURATOR.key });
    const items = (list.body?.["items"] ?? []) as Array<{ collection: string; id: string }>;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.collection === "manuals")).toBe(true);
    // A key limited to several collections must name one for a single answer.
    await refused(400, "GET", `/curated/${id}`, KEY.content);
    // The bot (manuals) is never answered from the secret collection's curated answer.
    const answer = await call(s.url, "POST", "/answer", { key: KEY.bot, json: { question: body("secret", 2).question } });
    expect(JSON.stringify(answer.body?.["citations"])).not.toContain(id);
    expect((await call(s.url, "DELETE", `/curated/${id}?collection=secret`, { key: KEY.ops })).status).toBe(204);
  });

  it("a curated answer's document is never written through /documents, whatever the key: 409 pointing to /curated/:id", async () => {
    const s = server();
    const created = await call(s.url, "POST", "/curated", { key: CURATOR.key, json: body("manuals", 4) });
    expect(created.status).toBe(201);
    const id = String(created.body?.["id"]);
    const doc = { title: "Pairing", text: "Replaced by an ingest key.", collection: "manuals" };
    for (const key of [KEY.content, KEY.ops, KEY.opsM]) {
      for (const [method, path, json] of [
        ["DELETE", `/documents/${id}?collection=manuals`, undefined],
        ["PUT", `/documents/${id}?collection=manuals`, doc],
        ["POST", "/documents", { ...doc, id }],
      ] as const) {
        const res = await refused(409, method, path, key, json);
        expect(res.body?.["type"] ?? res.body?.["code"]).toBeDefined();
        expect(String(res.body?.["detail"])).toContain(`/curated/${id}`);
      }
    }
    // Still answered from the curated answer, and still deletable through /curated.
    const asked = await call(s.url, "POST", "/answer", { key: KEY.bot, json: { question: body("manuals", 4).question } });
    expect(JSON.stringify(asked.body?.["citations"])).toContain(id);
    expect((await call(s.url, "DELETE", `/curated/${id}`, { key: CURATOR.key })).status).toBe(204);
  });

  it("bodies are validated (400 naming the field, 415 for non-JSON); unknown fields are refused", async () => {
    const s = server();
    await refused(400, "POST", "/curated", CURATOR.key, { question: "", answer: "x" });
    await refused(400, "POST", "/curated", CURATOR.key, { question: "q?", answer: "a", extra: 1 });
    await refused(400, "POST", "/curated", CURATOR.key, { question: "q?", answer: "x".repeat(8001) });
    await refused(400, "POST", "/curated", CURATOR.key, { question: "q?", answer: "a", collection: "../x" });
    await refused(400, "GET", "/curated/bad%20id", CURATOR.key);
    await refused(400, "GET", "/curated?limit=0", CURATOR.key);
    await refused(400, "POST", "/curated?collection=faq", KEY.ops, { question: "q?", answer: "a", collection: "manuals" });
    const before = s.dump();
    const raw = await call(s.url, "POST", "/curated", { key: CURATOR.key, raw: "question=x", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expectProblem(raw, 415);
    expect(s.dump()).toEqual(before);
  });

  it("create → revise → get with versions → delete, each version with its author", async () => {
    const s = server();
    const created = await call(s.url, "POST", "/curated", { key: CURATOR.key, json: body("manuals", 3) });
    const id = String(created.body?.["id"]);
    const revised = await call(s.url, "PUT", `/curated/${id}`, { key: KEY.ops, json: { ...body("manuals", 3), answer: "Hold OK and Back for five seconds; the LED stays blue when paired." } });
    expect(revised.status).toBe(200);
    expect(revised.body).toMatchObject({ id, version: 2, author: "ops" });
    const got = await call(s.url, "GET", `/curated/${id}`, { key: CURATOR.key });
    expect((got.body?.["versions"] as Array<{ version: number; author: string }>).map((v) => [v.version, v.author])).toEqual([[1, CURATOR.name], [2, "ops"]]);
    const asked = await call(s.url, "POST", "/answer", { key: KEY.bot, json: { question: body("manuals", 3).question } });
    const citations = (asked.body?.["citations"] ?? []) as Array<{ documentId: string; sourceType: string; curated?: { version: number; author: string } }>;
    expect(citations[0]).toMatchObject({ documentId: id, sourceType: "curated", curated: { version: 2, author: "ops" } });
    expect((await call(s.url, "DELETE", `/curated/${id}`, { key: CURATOR.key })).status).toBe(204);
    const after = await call(s.url, "POST", "/answer", { key: KEY.bot, json: { question: body("manuals", 3).question } });
    expect(JSON.stringify(after.body?.["citations"])).not.toContain(id);
    await refused(404, "GET", `/curated/${id}`, CURATOR.key);
  });
});
