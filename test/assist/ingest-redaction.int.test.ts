import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import type { LoadedDocument } from "../../src/domain/document.js";
import { openSqliteStore } from "../../src/adapters/sqlite-store.js";
import { ingestDocuments } from "../../ingest/pipeline.js";
import { openTestEngine } from "../support/temp-engine.js";

const TICKET: LoadedDocument = {
  id: "T-77",
  title: "Card 4111 1111 1111 1111 charged twice",
  sourceType: "ticket",
  format: "application/x-ticket",
  sections: [{ path: [], text: "Customer: charged twice, mail jane.doe@example.com, order ORD-123456.\nAgent: Refunded to the original card." }],
  ticket: { subject: "Card 4111 1111 1111 1111 charged twice", category: "billing", tags: ["jane.doe@example.com"], resolution: "Refund sent; customer reachable at +1 555 0100 2233." },
};

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});

async function engine(overrides: Record<string, string> = {}) {
  const t = await openTestEngine(overrides);
  cleanups.push(t.cleanup);
  return t;
}

describe("redaction in the ingest pipeline", () => {
  it("redacts text and ticket metadata, counts per document, and honours REDACT_PATTERNS", async () => {
    const { engine: e } = await engine({ REDACT_PATTERNS: "ORDER=ORD-\\d{6}" });
    const deps = { store: e.store, embedder: e.embedder, redact: e.redact };
    const [outcome] = await ingestDocuments(deps, [TICKET], e.ingestSettings());
    expect(outcome?.status).toBe("added");
    const doc = (await e.store.getDocument("default", "T-77"))!;
    // title, subject, text (email + order), tag, resolution (phone)
    expect(doc.redactions).toBe(6);
    expect(doc.title).toBe("Card [CARD] charged twice");
    expect(doc.ticket).toMatchObject({ subject: "Card [CARD] charged twice", tags: ["[EMAIL]"], resolution: "Refund sent; customer reachable at [PHONE]." });
    expect((await e.store.getDocumentChunks("default", "T-77"))[0]?.text).toContain("mail [EMAIL], order [ORDER].");
    expect((await ingestDocuments(deps, [TICKET], e.ingestSettings()))[0]?.status).toBe("unchanged");
  });

  it("redacts every stored field: url, product, category, status and dates of a ticket", async () => {
    const { engine: e } = await engine();
    const doc: LoadedDocument = {
      ...TICKET,
      id: "T-78",
      url: "https://support.example.com/tickets?from=leak.url@example.com",
      product: "Lumio for +44 20 7946 0958",
      ticket: { ...TICKET.ticket!, category: "billing leak.cat@example.com", status: "closed by 4111 1111 1111 1111", createdAt: "2026-03-14 leak.date@example.com" },
    };
    await ingestDocuments({ store: e.store, embedder: e.embedder, redact: e.redact }, [doc], e.ingestSettings());
    const stored = JSON.stringify(await e.store.getDocument("default", "T-78"));
    for (const pii of ["leak.url@example.com", "7946 0958", "leak.cat@example.com", "4111 1111", "leak.date@example.com"]) expect(stored, pii).not.toContain(pii);
    expect(stored).toContain("from=[EMAIL]");
  });

  it("redacts section headings (they are stored as each chunk's section path)", async () => {
    const { engine: e } = await engine();
    const manual: LoadedDocument = {
      id: "m-3", title: "Support", sourceType: "manual", format: "text/markdown",
      sections: [{ path: ["Support", "Escalations: leak.heading@example.com"], text: "Write to the escalation desk." }],
    };
    await ingestDocuments({ store: e.store, embedder: e.embedder, redact: e.redact }, [manual], e.ingestSettings());
    const chunks = JSON.stringify(await e.store.getDocumentChunks("default", "m-3"));
    expect(chunks).not.toContain("leak.heading@example.com");
    expect(chunks).toContain("Escalations: [EMAIL]");
  });

  it("applies REDACT_POLICY per source type and collection", async () => {
    const { engine: e } = await engine({ REDACT_POLICY: "collection:raw=none" });
    const manual: LoadedDocument = {
      id: "m-1", title: "Network setup", sourceType: "manual", format: "text/markdown",
      sections: [{ path: [], text: "Section 6.2.4.3: the hub answers on 192.168.0.1 with netmask 255.255.255.0; write to jane.doe@example.com." }],
    };
    const deps = { store: e.store, embedder: e.embedder, redact: e.redact };
    await ingestDocuments(deps, [manual, { ...TICKET, sections: [{ path: [], text: "Customer: my IP is 192.168.0.1" }] }], e.ingestSettings());
    expect((await e.store.getDocumentChunks("default", "m-1"))[0]?.text).toBe("Section 6.2.4.3: the hub answers on 192.168.0.1 with netmask 255.255.255.0; write to [EMAIL].");
    expect((await e.store.getDocumentChunks("default", "T-77"))[0]?.text).toBe("Customer: my IP is [IP]");
    await ingestDocuments(deps, [{ ...manual, id: "m-2" }], e.ingestSettings("raw"));
    expect((await e.store.getDocumentChunks("raw", "m-2"))[0]?.text).toContain("write to jane.doe@example.com.");
  });

  it("a document stored before redaction is rewritten on the next ingest and its old text is gone from the file", async () => {
    const { engine: e, config } = await engine();
    await ingestDocuments({ store: e.store, embedder: e.embedder }, [TICKET], e.ingestSettings());
    expect((await e.store.getDocument("default", "T-77"))?.redactions).toBeUndefined();
    const [again] = await ingestDocuments({ store: e.store, embedder: e.embedder, redact: e.redact }, [TICKET], e.ingestSettings());
    expect(again?.status).toBe("updated");
    expect((await e.store.getDocument("default", "T-77"))?.redactions).toBe(5);
    await e.close();
    const file = join(config.DATA_DIR, "store.db");
    const bytes = Buffer.concat([file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f)));
    expect(bytes.includes("[EMAIL]")).toBe(true);
    for (const pii of ["jane.doe@example.com", "4111 1111 1111 1111", "555 0100 2233"]) expect(bytes.includes(pii), pii).toBe(false);
  });

  it("migrates a store from before the redactions column", async () => {
    const { engine: e, config } = await engine();
    await ingestDocuments({ store: e.store, embedder: e.embedder, redact: e.redact }, [TICKET], e.ingestSettings());
    await e.close();
    const file = join(config.DATA_DIR, "store.db");
    const raw = new Database(file);
    raw.exec("ALTER TABLE documents DROP COLUMN redactions");
    raw.pragma("user_version = 2");
    raw.close();
    const store = openSqliteStore(file);
    try {
      expect((await store.getDocument("default", "T-77"))?.redactions).toBeUndefined();
      expect((await store.getDocument("default", "T-77"))?.title).toBe("Card [CARD] charged twice");
    } finally {
      await store.close();
    }
  });
});
