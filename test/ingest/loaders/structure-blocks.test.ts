import { describe, expect, it } from "vitest";
import { loadHtml } from "../../../ingest/loaders/html.js";
import { loadMarkdown } from "../../../ingest/loaders/markdown.js";
import { chunkDocument } from "../../../ingest/chunking/chunk-document.js";
import type { LoadedDocument } from "../../../src/domain/document.js";
import type { Chunk } from "../../../src/domain/chunk.js";

const FILLER = Array.from({ length: 8 }, (_, i) => `Background sentence number ${i + 1} explains why the hub keeps its settings in flash.`).join(" ");

function chunksOf(doc: LoadedDocument, maxTokens = 60): Chunk[] {
  return chunkDocument(doc, { collection: "default", maxTokens, overlapTokens: 8 });
}

function holding(chunks: Chunk[], text: string): Chunk {
  const found = chunks.find((c) => c.text.includes(text));
  expect(found, `a chunk holding "${text}"`).toBeDefined();
  return found!;
}

describe("code blocks and tables in HTML and Markdown", () => {
  it("HTML: a <pre> block stays verbatim in the chunk of the sentence introducing it", () => {
    const html = `<h1>Hub</h1><p>${FILLER} You can change the channel by the following.</p><pre>hubctl set channel 11
  --band 2g
hubctl restart</pre><p>${FILLER}</p>`;
    const chunks = chunksOf(loadHtml(html, { fileName: "hub.html", id: "hub.html" }));
    expect(chunks.length).toBeGreaterThan(2);
    const code = holding(chunks, "hubctl set channel 11");
    expect(code.text).toContain("You can change the channel by the following.\nhubctl set channel 11\n  --band 2g\nhubctl restart");
    expect(code.blockKind).toBe("code");
  });

  it("HTML: each table row carries its header cells", () => {
    const html = `<h1>Models</h1><table><thead><tr><th>Model</th><th>Ports</th></tr></thead>
      <tbody><tr><td>H5</td><td>4</td></tr><tr><td>H3</td><td>2</td></tr></tbody></table>`;
    const chunks = chunksOf(loadHtml(html, { fileName: "m.html", id: "m.html" }));
    expect(holding(chunks, "Model: H5").text).toContain("Model: H5 | Ports: 4\nModel: H3 | Ports: 2");
    expect(holding(chunks, "Model: H5").blockKind).toBe("table");
  });

  it("Markdown: a fenced block stays with its lead-in; a pipe table becomes header + row units", () => {
    const md = `# Hub\n\n${FILLER}\n\nTo reset the hub, run:\n\n\`\`\`sh\nhubctl reset --factory\n\n  --keep-wifi\n\`\`\`\n\n${FILLER}\n\n| Light | Meaning |\n| --- | --- |\n| Red | No uplink |\n| Blue | Pairing |\n`;
    const chunks = chunksOf(loadMarkdown(md, { fileName: "hub.md", id: "hub.md" }));
    const code = holding(chunks, "hubctl reset --factory");
    expect(code.text).toContain("To reset the hub, run:\n```sh\nhubctl reset --factory\n\n  --keep-wifi\n```");
    expect(code.blockKind).toBe("code");
    const table = holding(chunks, "Light: Red");
    expect(table.text).toContain("Light: Red | Meaning: No uplink\nLight: Blue | Meaning: Pairing");
    expect(table.blockKind).toBe("table");
  });
});

describe("Chinese lead-ins", () => {
  const FILLER_ZH = Array.from({ length: 12 }, (_, i) => `第${i + 1}句说明集线器为什么把设置保存在闪存中。`).join("");

  it("HTML: a <pre> block stays with a sentence that names it with 下列 and ends in 。", () => {
    const html = `<h1>集线器</h1><p>${FILLER_ZH}</p><p>然后，使用下列命令来重新配置所有的传感器。</p><pre># hubctl configure --all</pre><p>${FILLER_ZH}</p>`;
    const chunks = chunksOf(loadHtml(html, { fileName: "hub.zh.html", id: "hub.zh.html" }));
    expect(chunks.length).toBeGreaterThan(2);
    const code = holding(chunks, "hubctl configure --all");
    expect(code.text).toContain("然后，使用下列命令来重新配置所有的传感器。\n# hubctl configure --all");
    expect(code.blockKind).toBe("code");
  });

  it("does not take a sentence that only mentions 以下 in an earlier clause for a lead-in", () => {
    const html = `<h1>集线器</h1><p>温度在五度以下时，集线器会自动关闭。请等待它重新启动。</p><pre>hubctl status</pre>`;
    const doc = loadHtml(html, { fileName: "t.zh.html", id: "t.zh.html" });
    expect(doc.sections[0]?.blocks?.[0]?.leadStart).toBeUndefined();
  });
});
