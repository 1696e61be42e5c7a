import { describe, expect, it } from "vitest";
import { normalizeRole } from "../../../ingest/loaders/ticket-record.js";
import { loadTicketsCsv, loadTicketsJson, normalizeColumnName } from "../../../ingest/loaders/tickets.js";
import { UnsupportedDocumentError } from "../../../src/errors.js";
import { findJsonSyntaxError } from "../../../ingest/loaders/json-syntax.js";

const input = { fileName: "tickets.json", sourcePath: "exports/tickets.json", id: "unused" };

function rejection(fn: () => unknown): UnsupportedDocumentError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UnsupportedDocumentError);
    return err as UnsupportedDocumentError;
  }
  throw new Error("expected a rejection");
}

describe("loadTicketsJson", () => {
  it("reads conversation tickets and keeps question and resolution in one section", () => {
    const json = JSON.stringify({
      tickets: [
        {
          id: 101,
          subject: "Wi-Fi drops every hour",
          messages: [
            { role: "end-user", text: "My Wi-Fi drops every hour." },
            { author_type: "Staff", body: "Please update the firmware." },
            { from: "requester", content: "That fixed it, thanks!" },
          ],
          resolution: "Firmware 2.1 fixes the drop.",
          category: "connectivity",
          tags: "wifi; firmware ,",
          product: "X2",
          created_at: "2024-03-01T10:00:00Z",
          status: "solved",
          language: "en-GB",
        },
      ],
    });
    const [doc, ...rest] = loadTicketsJson(json, input);
    expect(rest).toHaveLength(0);
    expect(doc).toEqual({
      id: "101",
      title: "Wi-Fi drops every hour",
      sourceType: "ticket",
      format: "application/x-ticket",
      product: "X2",
      language: "en",
      sourcePath: "exports/tickets.json",
      sections: [
        {
          path: [],
          text:
            "Subject: Wi-Fi drops every hour\nCustomer: My Wi-Fi drops every hour.\nAgent: Please update the firmware.\n" +
            "Customer: That fixed it, thanks!\nResolution: Firmware 2.1 fixes the drop.",
        },
      ],
      ticket: {
        subject: "Wi-Fi drops every hour",
        category: "connectivity",
        tags: ["wifi", "firmware"],
        resolution: "Firmware 2.1 fixes the drop.",
        createdAt: "2024-03-01T10:00:00Z",
        status: "solved",
      },
    });
  });

  it("accepts flat question/answer records in a top-level array", () => {
    const docs = loadTicketsJson(
      JSON.stringify([
        { ticket_id: "T-1", title: "Reset", question: "How do I reset?", answer: "Hold the button.", tags: ["reset"], createdAt: "2024-01-01" },
        { id: "T-2", description: "Screen is black and will not turn on at all", response: "Check the cable." },
      ]),
      input,
    );
    expect(docs.map((d) => d.id)).toEqual(["T-1", "T-2"]);
    expect(docs[0]?.sections[0]?.text).toBe("Subject: Reset\nCustomer: How do I reset?\nAgent: Hold the button.");
    expect(docs[0]?.ticket).toEqual({ subject: "Reset", tags: ["reset"], createdAt: "2024-01-01" });
    expect(docs[1]?.title).toBe("Screen is black and will not turn on at all");
    expect(docs[1]?.sections[0]?.text).toBe("Customer: Screen is black and will not turn on at all\nAgent: Check the cable.");
  });

  it("rejects the whole file when any row is malformed, naming rows", () => {
    const json = JSON.stringify([
      { id: 1, question: "ok", answer: "fine" },
      { subject: "no id", question: "q" },
      { id: 3, subject: "no text" },
      { id: 1, question: "dup" },
      { id: 5, messages: "not an array" },
    ]);
    const err = rejection(() => loadTicketsJson(json, input));
    expect(err.file).toBe("exports/tickets.json");
    expect(err.message).toContain("4 malformed records, nothing loaded");
    expect(err.message).toContain("row 2: missing id");
    expect(err.message).toContain("row 3: ticket has no text");
    expect(err.message).toContain("row 4: duplicate id (first at row 1)");
    expect(err.message).toMatch(/row 5: field 'messages'/);
  });

  it("reports invalid JSON with its line number, and wrong shapes", () => {
    expect(rejection(() => loadTicketsJson('[\n  {"id": 1,\n   "subject" "x"}\n]', input)).message).toMatch(
      /^exports\/tickets\.json: malformed JSON at line 3, column 14: unexpected character$/,
    );
    expect(rejection(() => loadTicketsJson('{"items": []}', input)).message).toMatch(/expected an array of tickets/);
    expect(rejection(() => loadTicketsJson("[]", input)).message).toMatch(/no records/);
  });
});

describe("loadTicketsCsv", () => {
  const csvInput = { ...input, fileName: "tickets.csv", sourcePath: "exports/tickets.csv" };

  it("reads header-mapped rows, tags and JSON message cells", () => {
    const csv = [
      "\uFEFFTicket ID,Subject,Question,Answer,Tags,Created At,Messages",
      'A1,Pairing,"How do I pair',
      'the remote?",Hold OK for 5 s.,remote;pairing,2024-02-02,',
      'A2,Noise,,,,,"[{""role"":""customer"",""text"":""It hums.""},{""role"":""agent"",""text"":""Check the fan.""}]"',
    ].join("\r\n");
    const docs = loadTicketsCsv(csv, csvInput);
    expect(docs.map((d) => d.id)).toEqual(["A1", "A2"]);
    expect(docs[0]?.sections[0]?.text).toBe("Subject: Pairing\nCustomer: How do I pair\nthe remote?\nAgent: Hold OK for 5 s.");
    expect(docs[0]?.ticket).toEqual({ subject: "Pairing", tags: ["remote", "pairing"], createdAt: "2024-02-02" });
    expect(docs[1]?.sections[0]?.text).toBe("Subject: Noise\nCustomer: It hums.\nAgent: Check the fan.");
  });

  it("reads exports with one column per speaker (Customer / Agent Reply) instead of dropping them", () => {
    const csv = ["id,subject,customer,agent reply,resolution", "B1,Billing,I was charged twice.,Refund issued.,refunded"].join("\n");
    const [doc] = loadTicketsCsv(csv, csvInput);
    expect(doc?.sections[0]?.text).toBe("Subject: Billing\nCustomer: I was charged twice.\nAgent: Refund issued.\nResolution: refunded");
  });

  it("rejects files with malformed rows, naming the line each record starts on", () => {
    const csv = ["id,subject,question,answer", '1,A,"multi', 'line",ok', ",B,q,a", "", "4,C,,", "5,D,q,a"].join("\n");
    const err = rejection(() => loadTicketsCsv(csv, csvInput));
    expect(err.message).toContain("exports/tickets.csv: 2 malformed records");
    expect(err.message).toContain("line 4: missing id");
    expect(err.message).toContain("line 6: ticket has no text");
  });

  it("rejects structurally broken CSV with a line number", () => {
    const err = rejection(() => loadTicketsCsv("id,question\n1,a\n2,b,extra\n", csvInput));
    expect(err.message).toMatch(/malformed CSV at line 3/);
  });
});

describe("helpers", () => {
  it("normalises roles and column names", () => {
    expect(["requester", "end-user", "User", "customer"].map((r) => normalizeRole(r, 1))).toEqual(Array(4).fill("customer"));
    expect(["agent", "Staff", "support", "admin"].map((r) => normalizeRole(r, 0))).toEqual(Array(4).fill("agent"));
    expect([normalizeRole("jane@example.com", 0), normalizeRole(undefined, 2)]).toEqual(["customer", "agent"]);
    expect(["Ticket ID", "createdAt", " Subject ", "ticket-id"].map(normalizeColumnName)).toEqual(["ticket_id", "created_at", "subject", "ticket_id"]);
  });

  it("locates JSON errors by line and column without quoting the input", () => {
    expect(findJsonSyntaxError('{\n"a": 1,\n"b" 2\n}')).toEqual({ offset: 14, line: 3, column: 5, reason: "unexpected character" });
    expect(findJsonSyntaxError("[\n{\n")).toMatchObject({ line: 3, column: 1, reason: "unexpected end of input" });
    expect(findJsonSyntaxError('["a\tb"]')).toMatchObject({ column: 4, reason: "control character in string" });
    expect(findJsonSyntaxError('["\\q"]')).toMatchObject({ column: 3, reason: "invalid escape in string" });
    expect(findJsonSyntaxError("[1,2,]")).toMatchObject({ column: 6 });
    expect(findJsonSyntaxError("{} x")).toMatchObject({ column: 4 });
    for (const valid of ['{"a":[1,-2.5e3,true,false,null,"\\u00e9\\n",{}],"b":[]}', "  42 ", '""', "[[[[]]]]"]) {
      expect(findJsonSyntaxError(valid), valid).toBeUndefined();
      expect(() => JSON.parse(valid)).not.toThrow();
    }
    expect(findJsonSyntaxError("[".repeat(200_000))).toMatchObject({ reason: "unexpected end of input" });
  });
});
