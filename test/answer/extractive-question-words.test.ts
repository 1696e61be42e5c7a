import { describe, expect, it } from "vitest";
import type { Source } from "../../src/domain/answer.js";
import { usSpelling } from "../../src/answer/spelling-variants.js";
import { composeVerified } from "./compose-stream.js";

function source(n: number, sectionPath: string[], text: string, score = 1): Source {
  return { n, chunkId: `c/doc-${n}#0`, documentId: `doc-${n}`, title: "Hub guide", sectionPath, sourceType: "manual", text, score };
}

describe("sentences speaking of reversing", () => {
  const watchdog = source(2, ["Hub guide", "Watchdog"], [
    "The watchdog restarts the hub when the firmware stops answering for a minute.",
    "Hubs with firmware 3 or later run the watchdog safely, so you can leave it enabled when you pair sensors.",
    "Disable the watchdog only while you update the firmware by hand.",
  ].join(" "), 0.99);
  const setup = source(1, ["Hub guide", "Opening the setup menu"], [
    "The setup menu holds the hub's basic settings.",
    "To enter the setup menu, hold a button while the hub powers up.",
    "Often it is the Delete or the F2 key of an attached keyboard.",
  ].join(" "));

  it("are lifted only when they are about the question's topic: not 'the Delete key' alone", async () => {
    const { text } = await composeVerified("does the hub work with the watchdog turned on or do i have to disable it in the setup menu?", [setup, watchdog]);
    // Without the rule the reply is that sentence alone, lifted by "Delete" as if it reversed something.
    expect(text).not.toMatch(/^Often it is the Delete/);
  });

  it("a follow-up whose reversal word the manual never uses still finds the reversing sentence", async () => {
    const hold = source(1, ["Hub guide", "Holding updates"], [
      "Put an update on hold with hubctl hold followed by the update name.",
      "",
      "Remove the hold with hubctl unhold followed by the update name.",
    ].join("\n"));
    const { text } = await composeVerified("how do I undo that (put an update on hold)?", [hold]);
    expect(text).toContain("hubctl unhold");
  });
});

describe("questions asking whether a reversing action is needed", () => {
  const loader = source(1, ["Hub guide", "Secure mode"], [
    "Another hub topic is the so-called secure mode.",
    "Secure mode means the hub only runs code signed with a trusted key.",
    "The hub ships a relay loader signed by the vendor, so it works correctly with secure mode switched on.",
  ].join(" "));
  const quick = source(2, ["Hub guide", "Disabling quick start"], [
    "It may also be necessary to disable quick boot to even reach the setup menu.",
    "Some hubs skip the buttons during quick boot; in these cases, disable it from the app first.",
  ].join(" "), 0.97);

  it("'do I have to disable it?' is answered about the topic, not by a sentence that disables something else", async () => {
    const { text } = await composeVerified("does the hub work with secure mode turned on or do i have to disable it in the setup menu?", [loader, quick]);
    // Read as a reversal request, the reply was the quick-start sentences (they "disable" something).
    expect(text).toContain("relay loader");
    expect(text).not.toContain("quick boot");
  });

  it("'what should I do to undo that?' still asks how to reverse it", async () => {
    const hold = source(1, ["Hub guide", "Holding updates"], [
      "Put an update on hold with hubctl hold followed by the update name, and the hub keeps its current version of that update until you decide otherwise.",
      "",
      "Remove the hold with hubctl unhold followed by the update name.",
    ].join("\n"));
    const { text } = await composeVerified("what should I do to undo that (put an update on hold)?", [hold]);
    expect(text).toContain("hubctl unhold");
  });
});

describe("country abbreviations", () => {
  it("add the country's name after a capitalised abbreviation, English only", () => {
    expect(usSpelling("Who handles it in the US? And the U.S.A.? UK plugs, EU rules.", "en")).toBe(
      "Who handles it in the US (United States)? And the U.S.A. (United States)? UK (United Kingdom) plugs, EU (European Union) rules.",
    );
    // The pronoun, words that merely start with the letters, and other languages stay as they are.
    expect(usSpelling("Tell us about USB and EUR prices.", "en")).toBe("Tell us about USB and EUR prices.");
    expect(usSpelling("Livraison aux US ?", "fr")).toBe("Livraison aux US ?");
  });

  it("'in the US' finds the sentence naming the United States", async () => {
    const s = source(1, ["Hub guide", "Refunds"], [
      "Refunds from shops allow the group to buy new hubs, spare cables and chargers, and to hold its yearly meetings.",
      "For more information please visit the refunds page, which also lists the ways to ask for one.",
      "",
      "One can ask for refunds from groups that are critical to the club.",
      "The main group is the Hub Owners Circle, based in the United States, but there are others.",
    ].join("\n"));
    const { text } = await composeVerified("Which group handles refunds in the US?", [s]);
    expect(text).toContain("Hub Owners Circle");
  });
});

describe("British and American spellings", () => {
  it("folds '-ise' endings into '-ize' for English only", () => {
    expect(usSpelling("Which organisation customised it? Organised, organising, organisations.", "en")).toBe(
      "Which organization customized it? Organized, organizing, organizations.",
    );
    expect(usSpelling("raise the noise, otherwise", "en")).toBe("raise the noise, otherwize");
    expect(usSpelling("Quelle organisation ?", "fr")).toBe("Quelle organisation ?");
  });

  it("a question spelt one way finds the sentence spelt the other", async () => {
    const s = source(1, ["Hub guide", "Events"], ["Tickets for the launch are sold at the door.", "", "The organizer of the launch is the city library."].join("\n"));
    const { text } = await composeVerified("Who is the organiser?", [s]);
    expect(text).toContain("city library");
  });
});
