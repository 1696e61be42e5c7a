import { describe, expect, it } from "vitest";
import { agentSideOfTicket } from "../../src/answer/ticket-text.js";

describe("ticket text given to composers", () => {
  it("keeps agent replies and the resolution, drops the subject and the customer's words", () => {
    const text = "Subject: Hub offline\nCustomer: My hub is offline again.\nI live at 5 Main St.\nAgent: Press the Action button five times.\nThat resets the network.\nResolution: Network reset fixed it.";
    const out = agentSideOfTicket(text);
    expect(out).toBe("Press the Action button five times.\nThat resets the network.\nNetwork reset fixed it.");
    expect(out).not.toContain("Main St");
  });

  it("returns an empty text when only the customer spoke", () => {
    expect(agentSideOfTicket("Subject: Help\nCustomer: Nothing works.")).toBe("");
  });
});
