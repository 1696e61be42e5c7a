// GET /documents?q=&collection=&limit=&offset=: title search and paging done by the store, within the key's collections.
import { describe, expect, it } from "vitest";
import request from "supertest";
import { useTestApps, type TestApp } from "./harness.js";

const setup = useTestApps();
const KEYS = "one:sk-one:ingest:manuals,two:sk-two:ingest:manuals|faq,all:sk-all:ingest";
const as = (key: string) => ({ Authorization: `Bearer ${key}` });

async function seed(t: TestApp): Promise<void> {
  const add = (collection: string, id: string, title: string) =>
    t.store.replaceDocument({ id, title, collection, sourceType: "manual", format: "text/markdown", contentHash: `h-${collection}-${id}` }, []);
  for (let i = 0; i < 12; i++) await add("manuals", `kettle-${String(i).padStart(2, "0")}.md`, `Kettle guide ${i}`);
  await add("manuals", "toaster.md", "Toaster basics");
  await add("faq", "kettle-faq.md", "KETTLE questions");
  await add("secret", "kettle-secret.md", "Kettle launch codes");
}

const ids = (res: request.Response): string[] => (res.body.items as Array<{ id: string }>).map((d) => d.id);

describe("GET /documents search and paging", () => {
  it("searches titles (any case) and pages with limit, offset and nextOffset — no cap on how far", async () => {
    const t = await setup({ apiKeys: KEYS });
    await seed(t);
    const first = await request(t.app).get("/documents?q=kettle&limit=5").set(as("sk-all"));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 14, limit: 5, offset: 0, nextOffset: 5 });
    const seen: string[] = [];
    for (let offset: number | undefined = 0; offset !== undefined; ) {
      const page: request.Response = await request(t.app).get(`/documents?q=kettle&limit=5&offset=${offset}`).set(as("sk-all"));
      seen.push(...ids(page));
      offset = page.body.nextOffset as number | undefined;
    }
    expect(seen).toHaveLength(14);
    expect(new Set(seen).size).toBe(14);
    expect(seen).not.toContain("toaster.md");
    expect(ids(await request(t.app).get("/documents?q=%20TOASTER%20").set(as("sk-all")))).toEqual(["toaster.md"]);
    expect((await request(t.app).get("/documents?q=nothing-like-this").set(as("sk-all"))).body).toEqual({ items: [], total: 0, limit: 50, offset: 0 });
    expect((await request(t.app).get(`/documents?q=${"x".repeat(201)}`).set(as("sk-all"))).status).toBe(400);
  });

  it("a key limited to one collection searches and pages only that collection; naming another is 403", async () => {
    const t = await setup({ apiKeys: KEYS });
    await seed(t);
    const res = await request(t.app).get("/documents?q=kettle&limit=100").set(as("sk-one"));
    expect(res.body.total).toBe(12);
    expect((res.body.items as Array<{ collection: string }>).every((d) => d.collection === "manuals")).toBe(true);
    expect(JSON.stringify(res.body)).not.toMatch(/launch codes|KETTLE questions/);
    const last = await request(t.app).get("/documents?q=kettle&limit=5&offset=10").set(as("sk-one"));
    expect(ids(last)).toEqual(["kettle-10.md", "kettle-11.md"]);
    expect(last.body.nextOffset).toBeUndefined();
    const other = await request(t.app).get("/documents?q=kettle&collection=secret").set(as("sk-one"));
    expect(other.status).toBe(403);
    expect(other.headers["content-type"]).toMatch(/application\/problem\+json/);
  });

  it("a key limited to two collections pages through their union in one order", async () => {
    const t = await setup({ apiKeys: KEYS });
    await seed(t);
    const all = ids(await request(t.app).get("/documents?q=kettle&limit=100").set(as("sk-two")));
    expect(all).toHaveLength(13);
    expect(all).toContain("kettle-faq.md");
    expect(all).not.toContain("kettle-secret.md");
    const paged = [...ids(await request(t.app).get("/documents?q=kettle&limit=7").set(as("sk-two"))), ...ids(await request(t.app).get("/documents?q=kettle&limit=7&offset=7").set(as("sk-two")))];
    expect(paged).toEqual(all);
    expect(ids(await request(t.app).get("/documents?q=kettle&collection=faq").set(as("sk-two")))).toEqual(["kettle-faq.md"]);
  });
});
