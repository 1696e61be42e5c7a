import { afterEach, describe, expect, it } from "vitest";
import { PDFDocument, StandardFonts } from "pdf-lib";
import request from "supertest";
import { useTestApps, type TestApp, type TestAppOptions } from "./harness.js";

const setup = useTestApps();

async function tinyPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([300, 200]).drawText("Hold the reset pin for ten seconds.", { x: 20, y: 100, size: 10, font });
  return Buffer.from(await doc.save());
}

const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(64)]);
const MD = Buffer.from("# Setup\n\nPlug the widget in and press the power button.\n");

/** Nothing stored, saved or queued since `before`. */
async function expectUntouched(t: TestApp, seqBefore: number): Promise<void> {
  expect(t.queue.enqueued).toEqual([]);
  expect(t.uploads.files.size).toBe(0);
  expect(await t.changes.lastSeq()).toBe(seqBefore);
}

describe("POST /documents (multipart)", () => {
  it("stores the upload and queues an ingestion job → 202", async () => {
    const t = await setup();
    const res = await request(t.app).post("/documents").attach("file", MD, "setup.md").field("collection", "manuals").field("title", "Setup guide");
    expect(res.status).toBe(202);
    expect(res.body.jobs).toEqual([{ id: "job-1", documentId: "setup.md", deduplicated: false, format: "markdown" }]);
    expect(t.queue.enqueued[0]).toMatchObject({ fileName: "setup.md", documentId: "setup.md", collection: "manuals", title: "Setup guide" });
    expect(t.queue.enqueued[0]?.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(t.uploads.files.get(t.queue.enqueued[0]?.uploadPath ?? "")?.bytes.equals(MD)).toBe(true);
  });

  it("accepts several files, uses the default collection and deduplicates a repeated upload", async () => {
    const t = await setup();
    const res = await request(t.app).post("/documents").attach("file", MD, "a.md").attach("file", Buffer.from("plain text here"), "b.txt");
    expect(res.status).toBe(202);
    expect(res.body.jobs.map((j: { documentId: string }) => j.documentId)).toEqual(["a.md", "b.txt"]);
    expect(t.queue.enqueued.every((j) => j.collection === "default")).toBe(true);
    const again = await request(t.app).post("/documents").attach("file", MD, "a.md");
    expect(again.body.jobs[0]).toMatchObject({ id: "job-1", deduplicated: true });
  });

  it("detects type by content: a PDF renamed .md is accepted as PDF", async () => {
    const t = await setup();
    const res = await request(t.app).post("/documents").attach("file", await tinyPdf(), "notes.md");
    expect(res.status).toBe(202);
    expect(res.body.jobs[0]).toMatchObject({ documentId: "notes.md", format: "pdf" });
  });

  it("rejects an executable renamed .pdf with 415 naming the file; nothing is stored or queued", async () => {
    const t = await setup();
    const seq = await t.changes.lastSeq();
    const res = await request(t.app).post("/documents").attach("file", ELF, "manual.pdf");
    expect(res.status).toBe(415);
    expect(res.headers["content-type"]).toMatch(/problem\+json/);
    expect(res.body).toMatchObject({ status: 415, file: "manual.pdf" });
    expect(res.body.detail).toMatch(/manual\.pdf.*ELF/);
    await expectUntouched(t, seq);
  });

  it("rejects the whole multi-file upload when one file is invalid", async () => {
    const t = await setup();
    const seq = await t.changes.lastSeq();
    const res = await request(t.app).post("/documents").attach("file", MD, "good.md").attach("file", ELF, "bad.pdf").attach("file", MD, "also-good.md");
    expect(res.status).toBe(415);
    expect(res.body.file).toBe("bad.pdf");
    await expectUntouched(t, seq);
  });

  it("rejects an empty file with 422", async () => {
    const t = await setup();
    const res = await request(t.app).post("/documents").attach("file", Buffer.from("  \n"), "empty.md");
    expect(res.status).toBe(422);
    expect(res.body.file).toBe("empty.md");
    await expectUntouched(t, await t.changes.lastSeq());
  });

  it("sanitizes path-traversal file names", async () => {
    const t = await setup();
    const res = await request(t.app).post("/documents").attach("file", MD, "../../etc/passwd.md");
    expect(res.status).toBe(202);
    const saved = t.uploads.savedNames[0] ?? "";
    expect(saved).toBe("passwd.md");
    expect(saved).not.toMatch(/[/\\]|\.\./);
    expect(res.body.jobs[0].documentId).toBe("passwd.md");
    const dots = await request(t.app).post("/documents").attach("file", MD, "..");
    expect(dots.status).toBe(400);
  });

  it("rejects files over maxFileBytes (413), too many files, wrong field names, bad ids", async () => {
    const t = await setup({ limits: { maxFileBytes: 1024 } });
    const seq = await t.changes.lastSeq();
    const big = await request(t.app).post("/documents").attach("file", Buffer.alloc(4096, "a"), "big.txt");
    expect(big.status).toBe(413);
    expect(big.body.detail).toMatch(/big\.txt/);
    let many = request(t.app).post("/documents");
    for (let i = 0; i < 21; i++) many = many.attach("file", MD, `f${i}.md`);
    expect((await many).status).toBe(400);
    expect((await request(t.app).post("/documents").attach("files", MD, "a.md")).status).toBe(400);
    const badId = await request(t.app).post("/documents").field("id", "../x").attach("file", MD, "a.md");
    expect(badId.status).toBe(400);
    const twoWithId = await request(t.app).post("/documents").field("id", "x").attach("file", MD, "a.md").attach("file", MD, "b.md");
    expect(twoWithId.status).toBe(400);
    const noFile = await request(t.app).post("/documents").field("collection", "x");
    expect(noFile.status).toBe(400);
    await expectUntouched(t, seq);
  });
});

describe("POST /documents (JSON)", () => {
  it("saves the text as <slug(title)>.txt with the title as first line", async () => {
    const t = await setup();
    const res = await request(t.app).post("/documents").send({ title: "Returns & Refunds!", text: "Items can be returned within 30 days." });
    expect(res.status).toBe(202);
    expect(res.body.jobs[0]).toMatchObject({ documentId: "returns-refunds.txt", format: "text" });
    const job = t.queue.enqueued[0];
    expect(job).toMatchObject({ fileName: "returns-refunds.txt", title: "Returns & Refunds!", collection: "default" });
    expect(t.uploads.files.get(job?.uploadPath ?? "")?.bytes.toString()).toBe("Returns & Refunds!\n\nItems can be returned within 30 days.");
  });

  it("uses a given id (with slashes) and rejects bad JSON documents", async () => {
    const t = await setup({ limits: { maxBodyBytes: 2048 } });
    const res = await request(t.app).post("/documents").send({ id: "faq/returns", title: "Returns", text: "Within 30 days." });
    expect(res.body.jobs[0].documentId).toBe("faq/returns");
    expect(t.queue.enqueued[0]?.fileName).toBe("faq_returns.txt");
    const before = t.queue.enqueued.length;
    expect((await request(t.app).post("/documents").send({ title: "x" })).status).toBe(400);
    expect((await request(t.app).post("/documents").send({ title: "x", text: 5 })).status).toBe(400);
    expect((await request(t.app).post("/documents").send({ title: "x", text: "   " })).status).toBe(400);
    expect((await request(t.app).post("/documents").send({ title: "x", text: "a".repeat(4000) })).status).toBe(413);
    expect((await request(t.app).post("/documents").set("Content-Type", "text/plain").send("hello")).status).toBe(415);
    expect(t.queue.enqueued.length).toBe(before);
  });
});

describe("PUT / DELETE / GET /documents", () => {
  it("PUT replaces a document whose id contains '/', keeping its collection", async () => {
    const t = await setup();
    const res = await request(t.app).put("/documents/manual/widget.md").attach("file", MD, "widget-v2.md");
    expect(res.status).toBe(202);
    expect(t.queue.enqueued[0]).toMatchObject({ documentId: "manual/widget.md", replace: true, collection: "default", fileName: "widget-v2.md" });
    const json = await request(t.app).put("/documents/faq%2Fnew").send({ title: "New", text: "Some new text." });
    expect(json.status).toBe(202);
    expect(t.queue.enqueued[1]).toMatchObject({ documentId: "faq/new", replace: true });
    const mismatch = await request(t.app).put("/documents/a.md").send({ id: "b.md", title: "x", text: "y" });
    expect(mismatch.status).toBe(400);
    expect((await request(t.app).put("/documents/a.md").attach("file", MD, "a.md").attach("file", MD, "b.md")).status).toBe(400);
  });

  it("GET shows a stored document by its slash-containing id (raw or encoded); unknown ids are 404", async () => {
    const t = await setup();
    for (const path of ["/documents/manual/widget.md", "/documents/manual%2Fwidget.md"]) {
      const res = await request(t.app).get(path);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: "manual/widget.md", status: "ready", collection: "default" });
      expect(res.body.chunkCount).toBeGreaterThan(0);
    }
    const missing = await request(t.app).get("/documents/nope.md");
    expect(missing.status).toBe(404);
    expect(missing.body.type).toMatch(/not-found$/);
  });

  it("GET /documents lists with filters and pagination; bad queries are 400", async () => {
    const t = await setup();
    const res = await request(t.app).get("/documents?limit=10&offset=0&status=ready");
    expect(res.body).toMatchObject({ total: 1, limit: 10, offset: 0 });
    expect(res.body.items[0].id).toBe("manual/widget.md");
    expect((await request(t.app).get("/documents?collection=other")).body).toMatchObject({ items: [], total: 0 });
    expect((await request(t.app).get("/documents?offset=1")).body.items).toEqual([]);
    for (const q of ["limit=0", "limit=501", "limit=abc", "status=weird", "offset=-1", "collection=a%20b"]) {
      expect((await request(t.app).get(`/documents?${q}`)).status).toBe(400);
    }
  });

  it("DELETE removes the document and cancels its queued jobs; 404 when neither existed", async () => {
    const t = await setup();
    await request(t.app).put("/documents/manual/widget.md").attach("file", MD, "widget.md");
    const res = await request(t.app).delete("/documents/manual/widget.md");
    expect(res.status).toBe(204);
    expect(await t.store.getDocument("default", "manual/widget.md")).toBeUndefined();
    expect(t.queue.jobs.size).toBe(0);
    expect((await request(t.app).delete("/documents/manual/widget.md")).status).toBe(404);
    await request(t.app).post("/documents").attach("file", MD, "queued.md");
    expect((await request(t.app).delete("/documents/queued.md")).status).toBe(204);
    expect(t.queue.jobs.size).toBe(0);
  });
});

describe("DELETE while the document's job is running", () => {
  it("answers 409 problem+json naming the job instead of a 204 the running job would undo; a waiting job is cancelled", async () => {
    const t = await setup();
    const res = await request(t.app).post("/documents").attach("file", MD, "busy.md");
    const jobId = (res.body as { jobs: Array<{ id: string }> }).jobs[0]!.id;
    t.queue.jobs.get(jobId)!.info.state = "active";
    const seq = await t.changes.lastSeq();
    const busy = await request(t.app).delete("/documents/busy.md");
    expect(busy.status).toBe(409);
    expect(busy.headers["content-type"]).toMatch(/problem\+json/);
    expect(busy.body).toMatchObject({ status: 409, jobId });
    expect(t.queue.jobs.get(jobId)?.info.state).toBe("active");
    expect(await t.changes.lastSeq()).toBe(seq);
    // Another collection's running job of the same id does not block this collection's delete.
    t.queue.jobs.get(jobId)!.info.state = "waiting";
    expect((await request(t.app).delete("/documents/busy.md?collection=other")).status).toBe(404);
    expect((await request(t.app).delete("/documents/busy.md")).status).toBe(204);
    expect(t.queue.jobs.has(jobId)).toBe(false);
  });
});
