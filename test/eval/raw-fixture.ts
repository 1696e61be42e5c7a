import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makePdf } from "../ingest/loaders/pdf-fixtures.js";

/**
 * A generated dataset of files in the pdf-manuals format: documents/gizmo.pdf (3 pages) and documents/hub.pdf
 * (2 pages), invented text, and questions.jsonl with page gold and keys (two answerable on gizmo.pdf, one on
 * hub.pdf, one whose gold is in both files, one unanswerable).
 */
export async function makeRawDataset(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "groundline-rawds-"));
  mkdirSync(join(dir, "documents"));
  const gizmo = await makePdf({
    title: "Gizmo manual",
    pages: [
      ["Gizmo Owner Guide", "Contents", "1 Resetting the gizmo ..... 2", "2 Pairing the wand ..... 3"],
      ["1 Resetting the gizmo", "To reset the gizmo, hold the Zorble button for 12 seconds.", "The status lamp blinks violet while the gizmo restarts."],
      ["2 Pairing the wand", "To pair the wand, run the command gizmoctl pair --wand from the console.", "Pairing needs the firmware quux-7 or later."],
    ],
  });
  const hub = await makePdf({
    title: "Hub manual",
    pages: [
      ["Hub Setup Guide", "The hub listens on port 4711 for the dashboard.", "Open the dashboard in a browser at that port."],
      ["Cleaning the hub", "Wipe the hub with a dry cloth only.", "The Zorble button works on the hub as well: hold it for 12 seconds to reset."],
    ],
  });
  writeFileSync(join(dir, "documents", "gizmo.pdf"), gizmo);
  writeFileSync(join(dir, "documents", "hub.pdf"), hub);
  const questions = [
    { id: "g-1", question: "how do i reset my gizmo, which button and for how long?", answerable: true, gold: [{ file: "gizmo.pdf", pages: [2], section: "1 Resetting the gizmo" }], keys: [["Zorble"], ["12 seconds", "12 s"]], answer: "Hold the Zorble button for 12 seconds." },
    { id: "g-2", question: "what command pairs the wand with the gizmo console?", answerable: true, gold: [{ file: "gizmo.pdf", pages: [3], section: "2 Pairing the wand" }], keys: [["gizmoctl pair --wand"]], answer: "Run gizmoctl pair --wand." },
    { id: "h-1", question: "which port does the hub dashboard listen on?", answerable: true, gold: [{ file: "hub.pdf", pages: [1], section: "Hub Setup Guide" }], keys: [["4711"]], answer: "Port 4711." },
    { id: "b-1", question: "how long to hold the Zorble button to reset?", answerable: true, gold: [{ file: "gizmo.pdf", pages: [2], section: "1" }, { file: "hub.pdf", pages: [2], section: "Cleaning" }], keys: [["12 seconds"]] },
    { id: "u-1", question: "what is the price of a replacement teleporter crystal in euros?", answerable: false, gold: [], keys: [] },
  ];
  writeFileSync(join(dir, "questions.jsonl"), `${questions.map((q) => JSON.stringify(q)).join("\n")}\n`);
  return dir;
}
