import { describe, expect, it } from "vitest";
import type { HistoryTurn } from "../../src/domain/answer.js";
import { condenseFollowUp, condenseQuestion } from "../../src/answer/condense-question.js";

/** A conversation where each user question got some assistant reply. */
function history(...questions: string[]): HistoryTurn[] {
  return questions.flatMap((q): HistoryTurn[] => [
    { role: "user", content: q },
    { role: "assistant", content: "Press and hold the button for 10 seconds [1]." },
  ]);
}

describe("condenseQuestion", () => {
  it("returns the question unchanged without history", () => {
    expect(condenseQuestion("and the remote?", [])).toBe("and the remote?");
    expect(condenseQuestion("it?", [{ role: "assistant", content: "Hello! How can I help?" }])).toBe("it?");
  });

  it("leaves a standalone question alone", () => {
    const h = history("How do I reset the hub?");
    expect(condenseQuestion("How do I pair my headphones with the app?", h)).toBe("How do I pair my headphones with the app?");
    expect(condenseQuestion("Is it possible to reset the hub without the app?", h)).toBe("Is it possible to reset the hub without the app?");
    expect(condenseQuestion("And how do I update the firmware on the hub?", h)).toBe("And how do I update the firmware on the hub?");
  });

  it("swaps the new entity into the previous question for English ellipses", () => {
    const h = history("How do I reset the hub?");
    expect(condenseQuestion("and the remote?", h)).toBe("How do I reset the remote?");
    expect(condenseQuestion("And on the remote?", h)).toBe("How do I reset the remote?");
    expect(condenseQuestion("What about the app?", h)).toBe("How do I reset the app?");
    expect(condenseQuestion("the remote?", h)).toBe("How do I reset the remote?");
  });

  it("keeps topic and entity when there is no single noun phrase to swap", () => {
    const h = history("How do I connect the soundbar to the TV?");
    const q = condenseQuestion("and the projector?", h);
    expect(q).toContain("connect the soundbar to the TV");
    expect(q).toContain("projector");
    const bare = condenseQuestion("Factory reset?", history("How do I pair the remote?"));
    expect(bare).toContain("pair the remote");
    expect(bare).toContain("Factory reset");
  });

  it("resolves pronouns to the previous noun phrase", () => {
    expect(condenseQuestion("Is it waterproof?", history("How do I charge the earbuds?"))).toBe("Is the earbuds waterproof?");
    expect(condenseQuestion("How do I turn it off?", history("My TV won't respond"))).toBe("How do I turn my TV off?");
  });

  it("adds the previous question's key words to a demonstrative follow-up", () => {
    const q = condenseQuestion("How do I do that?", history("How can I pair the remote?"));
    expect(q).toBe("How do I do that (pair the remote)?");
  });

  it("takes a demonstrative followed by a phrasal verb's particles as a follow-up, not one followed by a noun", () => {
    const h = history("How do I build the kernel with less disk space?");
    expect(condenseQuestion("How do I turn that off?", h)).toBe("How do I turn that off (build the kernel with less disk space)?");
    expect(condenseQuestion("Can I switch this back on again?", h)).toBe("Can I switch this back on again (build the kernel with less disk space)?");
    expect(condenseQuestion("How do I turn off that option?", h)).toBe("How do I turn off that option?");
    expect(condenseQuestion("How do I turn off the TV?", h)).toBe("How do I turn off the TV?");
  });

  it("uses the most recent user question, itself condensed", () => {
    const h = history("How do I update the firmware?", "How do I reset the hub?", "and the remote?");
    expect(condenseQuestion("what about the app?", h)).toBe("How do I reset the app?");
  });

  it("ignores the current question when the caller already appended it to the history", () => {
    const h: HistoryTurn[] = [...history("How do I reset the hub?"), { role: "user", content: "and the remote?" }];
    expect(condenseQuestion("and the remote?", h)).toBe("How do I reset the remote?");
  });

  it("joins Chinese elliptical and pronoun follow-ups to the previous question", () => {
    const h = history("如何重置集线器？");
    expect(condenseQuestion("那遥控器呢？", h)).toBe("如何重置集线器，那遥控器呢？");
    expect(condenseQuestion("它的呢？", history("集线器的电池能用多久？"))).toBe("集线器的电池能用多久，它的呢？");
    expect(condenseQuestion("它怎么充电？", history("耳机是防水的吗？"))).toBe("耳机是防水的吗，它怎么充电？");
  });

  it("leaves a standalone Chinese question alone", () => {
    expect(condenseQuestion("如何更新集线器的固件？", history("如何重置集线器？"))).toBe("如何更新集线器的固件？");
  });

  it("carries the topic without growing over three and more turns", () => {
    const h = history("How do I restart the hub?", "and how do I undo that?");
    const third = condenseQuestion("and the remote?", h);
    expect(third).not.toMatch(/\(.*\).*—/);
    expect(third).toContain("remote");
    // However long the chain of follow-ups, the rewrite stays the size of one question plus a topic.
    let turns = history("How do I connect the soundbar to the TV?");
    let q = "";
    for (const next of ["and the projector?", "and how do I undo that?", "and the speakers?", "and the remote?", "Is that safe?"]) {
      q = condenseQuestion(next, turns);
      expect(q.length).toBeLessThanOrEqual(80);
      turns = [...turns, { role: "user", content: next }, { role: "assistant", content: "Use the HDMI cable [1]." }];
    }
    expect(q.split("—").length).toBeLessThanOrEqual(2);
  });

  it("carries the asked-about action without its purpose clause, never a clause cut in half", () => {
    expect(condenseQuestion("and how do I undo that?", history("How do I put a package on hold so it is not upgraded?")))
      .toBe("how do I undo that (put a package on hold)?");
    expect(condenseQuestion("and how do I undo that?", history("How can I reset the hub when the light keeps blinking red?")))
      .toBe("how do I undo that (reset the hub)?");
  });

  it("carries a long topic's object whole and never ends the bracket on a function word", () => {
    expect(condenseQuestion("and how do I undo that?", history("How do I record a fix to the upstream Makefile as a quilt patch?")))
      .toBe("how do I undo that (record a fix to the upstream Makefile as a quilt patch)?");
    // Eight content words at most ("onto" counts): the tail is cut, and not after a function word.
    const long = condenseQuestion("and how do I undo that?", history("How do I copy the old kitchen timer presets onto the new oven panel for the bakery?"));
    expect(long).toBe("how do I undo that (copy the old kitchen timer presets onto the new oven)?");
    expect(condenseQuestion("and how do I undo that?", history("How do I move the first seven saved radio stations of the car to the")))
      .toBe("how do I undo that (move the first seven saved radio stations of the car)?");
  });

  it("resolves 'that' and 'undo' against the conversation's topic, not the previous rewrite", () => {
    const h = history("How do I turn on night mode?", "and how do I undo that?");
    expect(condenseQuestion("and how do I undo that?", history("How do I turn on night mode?"))).toBe("how do I undo that (turn on night mode)?");
    expect(condenseQuestion("Is that permanent?", h)).toBe("Is that permanent (turn on night mode)?");
  });

  it("carries the topic into a follow-up whose demonstrative is a verb's object or subject", () => {
    expect(condenseQuestion("How do I make that stricter for every user?", history("What is the default file mask on the server?")))
      .toBe("How do I make that stricter for every user (the default file mask on the server)?");
    expect(condenseQuestion("Does that apply to the admin account too?", history("How do I lock the screen after five minutes?")))
      .toBe("Does that apply to the admin account too (lock the screen)?");
    expect(condenseQuestion("Can I apply this to every printer?", history("How do I set the default paper size?")))
      .toBe("Can I apply this to every printer (set the default paper size)?");
  });

  it("joins an ellipsis that widens the scope ('and for every user?') instead of swapping it in as a new thing", () => {
    expect(condenseQuestion("And for every user?", history("What is the default file mask on the server?")))
      .toBe("What is the default file mask on the server — And for every user?");
    expect(condenseQuestion("and for the remote?", history("How do I reset the hub?"))).toBe("How do I reset the remote?");
  });

  it("asks the earlier question again under a condition put to it ('And what if …?', 'What happens if …?')", () => {
    const h = history("Which release channel should I pick for a normal update?");
    expect(condenseQuestion("And what if the changes are large and could break things?", h))
      .toBe("Which release channel should I pick for a normal update — And what if the changes are large and could break things?");
    expect(condenseFollowUp("What happens if I skip the backup?", history("How do I upgrade the controller?")))
      .toEqual({ standalone: "How do I upgrade the controller — What happens if I skip the backup?", carriesTopic: true });
    // Not a condition: "if" inside a question of its own, and no history at all.
    expect(condenseQuestion("How do I know if the hub is updated?", h)).toBe("How do I know if the hub is updated?");
    expect(condenseQuestion("What if the changes are large?", [])).toBe("What if the changes are large?");
  });

  it("keeps a 'without …' part of the earlier action, which says what the pronoun stands for", () => {
    expect(condenseQuestion("And how do I install them later?", history("How do I only fetch updates without applying them?")))
      .toBe("how do I install them later (only fetch updates without applying)?");
  });

  it("leaves questions that name their own topic alone, also after a conversation", () => {
    const h = history("What is the default file mask on the server?");
    for (const q of [
      "How do I make sure that backups run every night?",
      "How do I set the login delay for every user?",
      "Can I check that the printer is online?",
      "Why do these error lights blink on the router?",
    ]) expect(condenseQuestion(q, h)).toBe(q);
  });

  it("tells a rewrite that carries the earlier topic from one that names the noun a pronoun stood for", () => {
    const h = history("How do I reset the hub?");
    expect(condenseFollowUp("Is it waterproof?", h)).toEqual({ standalone: "Is the hub waterproof?", carriesTopic: false });
    expect(condenseFollowUp("and the remote?", h)).toEqual({ standalone: "How do I reset the remote?", carriesTopic: false });
    expect(condenseFollowUp("How do I make that permanent?", h).carriesTopic).toBe(true);
    expect(condenseFollowUp("它防水吗？", history("如何重置集线器？")).carriesTopic).toBe(true);
    expect(condenseFollowUp("How do I update the firmware?", h)).toEqual({ standalone: "How do I update the firmware?", carriesTopic: false });
  });

  it("is deterministic", () => {
    const h = history("How do I reset the hub?");
    expect(condenseQuestion("and the remote?", h)).toBe(condenseQuestion("and the remote?", h));
  });
});
