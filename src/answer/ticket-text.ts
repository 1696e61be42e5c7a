/**
 * What of a past ticket may be quoted to another customer: the agents' replies and the resolution. The customer's
 * own words (their situation, their frustration, anything redaction missed) are never used as answer text.
 */
const TURN_RE = /^(Subject|Customer|Agent|Resolution):\s?/;

export function agentSideOfTicket(text: string): string {
  const kept: string[] = [];
  let keep = false;
  for (const line of text.split("\n")) {
    const turn = TURN_RE.exec(line);
    if (turn) {
      keep = turn[1] === "Agent" || turn[1] === "Resolution";
      if (keep) kept.push(line.slice(turn[0].length));
    } else if (keep) {
      kept.push(line);
    }
  }
  return kept.join("\n").trim();
}
