import { describe, expect, it } from "vitest";
import { startHint } from "../../src/server/start-hint.js";

describe("startHint", () => {
  const url = "http://127.0.0.1:3917";

  it("suggests the demo question when the demo corpus is ingested", () => {
    const line = startHint({ url, processes: 1, keys: false, demo: true });
    expect(line).toMatch(/^groundline listening on http:\/\/127\.0\.0\.1:3917 {2}\(console: /);
    expect(line).toContain(`curl -s ${url}/answer -H 'content-type: application/json'`);
    expect(line).toContain("How do I reset the hub?");
  });

  it("suggests an upload instead when the store starts without the demo corpus", () => {
    const line = startHint({ url, processes: 2, keys: true, demo: false });
    expect(line).not.toContain("reset the hub");
    expect(line).toContain(`curl -s ${url}/documents -H 'authorization: Bearer YOUR_KEY' -F file=@manual.pdf`);
    expect(line).toContain("with 2 serving processes");
  });
});
