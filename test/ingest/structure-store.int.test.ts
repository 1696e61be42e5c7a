import { afterEach, describe, expect, it } from "vitest";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ingestPaths } from "../../ingest/ingest-files.js";
import { openTestEngine } from "../support/temp-engine.js";
import { makeStructuredPdf } from "./loaders/structured-pdf.js";

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});

describe("stored structure", () => {
  it("keeps the printed page label and the block kind of each chunk in the store", async () => {
    const t = await openTestEngine();
    cleanups.push(t.cleanup);
    const dir = join(t.config.DATA_DIR, "src");
    mkdirSync(dir, { recursive: true });
    const pdf = await makeStructuredPdf({
      pages: [
        [{ text: "Front matter of the hub guide, kept short." }],
        [
          { text: "Resetting the hub", size: 16 },
          { text: "To reset the hub from a terminal, run the following:" },
          { text: "hubctl reset --factory", mono: true },
        ],
      ],
      outline: [{ title: "Resetting the hub", page: 2 }],
      labels: [[0, "r"], [1, "D", 7]],
    });
    writeFileSync(join(dir, "hub.pdf"), pdf);
    await ingestPaths({ store: t.engine.store, embedder: t.engine.embedder }, [dir], {
      settings: t.engine.ingestSettings(),
      maxBytes: t.config.MAX_FILE_BYTES,
    });
    const chunks = await t.engine.store.getDocumentChunks("default", "hub.pdf");
    const code = chunks.find((c) => c.text.includes("hubctl reset --factory"));
    expect(code).toMatchObject({ pageStart: 2, pageLabel: "7", blockKind: "code", sectionPath: ["Resetting the hub"] });
    expect(code?.text).toContain("run the following:\nhubctl reset --factory");
    expect(chunks.find((c) => c.text.includes("Front matter"))).toMatchObject({ pageStart: 1, pageLabel: "i" });
  });
});
