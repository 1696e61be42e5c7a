import { describe, expect, it } from "vitest";
import type { Source } from "../../src/domain/answer.js";
import { hasLiteral } from "../../src/answer/extractive-blocks.js";
import { composeVerified } from "./compose-stream.js";

function source(n: number, sectionPath: string[], text: string, score = 1): Source {
  return { n, chunkId: `c/doc-${n}#0`, documentId: `doc-${n}`, title: "Debian FAQ", sectionPath, sourceType: "manual", text, score };
}

async function answer(question: string, sources: Source[]): Promise<string> {
  return (await composeVerified(question, sources)).text;
}

describe("extractive answers are natural passages", () => {
  it("never answers with a heading alone (a FAQ question line in capitals)", async () => {
    const s = source(1, ["Package management", "Holding packages"], [
      "HOW DO I PUT A PACKAGE ON HOLD?",
      "",
      "Run apt-mark hold with the package name. A package on hold is not upgraded until the hold is removed.",
    ].join("\n"));
    const text = await answer("How do I put a package on hold?", [s]);
    expect(text).not.toContain("HOW DO I PUT");
    expect(text).toContain("apt-mark hold");
  });

  it("a lead-in ending in 'the following' carries the command that follows", async () => {
    const s = source(1, ["Basics", "Keyboard layout"], [
      "The keyboard layout is set when the system is installed. You can change it by the following.",
      "",
      "dpkg-reconfigure keyboard-configuration",
      "",
      "Other settings of the console are described in the next section and in the manual pages of the tools.",
    ].join("\n"));
    const text = await answer("How can I change the keyboard layout?", [s]);
    expect(text).toContain("by the following");
    expect(text).toContain("dpkg-reconfigure keyboard-configuration");
  });

  it("a lead-in ending in ':' carries the command block after a blank line", async () => {
    const s = source(1, ["Networking"], [
      "To restart networking after editing the interfaces file, run as root:",
      "",
      "systemctl restart networking",
    ].join("\n"));
    const text = await answer("How do I restart networking after editing the interfaces file?", [s]);
    expect(text).toContain("systemctl restart networking");
  });

  it("never quotes a table-of-contents line", async () => {
    const s = source(1, ["Contents"], [
      "6.3.3 Connecting without remote passwords ........ 113",
      "",
      "Use ssh-keygen to create a key pair and copy the public key to the remote host to connect without remote passwords.",
    ].join("\n"));
    const text = await answer("How do I connect without remote passwords?", [s]);
    expect(text).not.toMatch(/\.{4,}|113/);
    expect(text).toContain("ssh-keygen");
  });

  it("a passage without a literal takes the next sentence that names one (the command, the key, the size)", async () => {
    const s = source(1, ["Hardware", "Finding the chipset"], [
      "A good way to find out which chipset a USB device is based on is to look at its device IDs. Devices built on the same chipset share the vendor and product IDs.",
      "",
      "These IDs can be read with the lsusb command for USB devices.",
      "",
      "Drivers are listed per chipset in the hardware database of the project, which is updated with every release.",
    ].join("\n"));
    const text = await answer("How do I find out which chipset is inside my USB dongle?", [s]);
    expect(text).toContain("device IDs");
    expect(text).toContain("lsusb");
    expect(text).not.toContain("hardware database");
  });

  it("a root prompt ('# passwd') is a command line, not a Markdown heading", async () => {
    const s = source(1, ["Remote access"], [
      "Root login with a password is disabled by default; enable it in the SSH server configuration:",
      "# editor /etc/ssh/sshd_config",
    ].join("\n"));
    expect(await answer("How do I enable root login with a password over SSH?", [s])).toContain("/etc/ssh/sshd_config");
  });

  it("weighs what a customer asks above the story told before it", async () => {
    const s = source(1, ["Installer", "Graphical installer"], [
      "The graphical installer needs more memory than the text installer: 810MB.",
      "",
      "When memory is short it falls back to the text frontend on old laptops, which keeps working there.",
    ].join("\n"));
    const text = await answer("It keeps falling back to the text frontend on my old laptop. How much memory does the graphical installer need?", [s]);
    expect(text.split("\n")[0]).toContain("810MB");
  });
});

describe("answerWindow: the passage is the run of sentences that answers", () => {
  const ask = async (answerWindow: number, question: string, s: Source, maxWords = 110): Promise<string> => {
    return (await composeVerified(question, [s], { composer: { answerWindow, literalBoost: 1, maxWords } })).text;
  };

  it("starts before the best-matching sentence when the fact comes first", async () => {
    const s = source(1, ["Before installing", "Hybrid sleep"], [
      "The firmware offers a setting called hibernate-on-lid to save battery.",
      "When it is on, the laptop does not really shut down but writes its memory to disk.",
      "With two operating systems on one disk this can damage the shared partition, so switch it off before installing.",
      "",
      "Other power settings are described in the next chapter, together with the battery thresholds and the fan curve settings of the vendor tools.",
    ].join("\n"));
    const question = "My shared partition gets damaged with two operating systems on the laptop. What should I switch off in the firmware?";
    expect(await ask(0, question, s)).not.toContain("hibernate-on-lid");
    expect(await ask(1, question, s)).toContain("hibernate-on-lid");
  });

  it("reaches the literal at the end of a paragraph within the word budget", async () => {
    const s = source(1, ["Network", "Mirrors"], [
      "If your network only speaks IPv6, the default mirror for your country may fail from the installer.",
      "Every mirror in the list answers over IPv4, but only some of them answer over IPv6, and this changes over time.",
      "The installer therefore cannot tell which mirrors work and offers the whole list as it is to every user.",
      "Mirrors are run by volunteers all over the world.",
      "You can then try another one or choose to enter a mirror manually.",
      "Then type mirror6.example.org as the mirror name, an alias of a mirror reachable over IPv6.",
    ].join(" "));
    const question = "We are IPv6-only and the default mirror for my country fails. Which mirror do I enter manually?";
    expect(await ask(0, question, s, 60)).not.toContain("mirror6.example.org");
    expect(await ask(1, question, s, 60)).toContain("mirror6.example.org");
  });
});

describe("literals", () => {
  it("host and file names of three dotted parts are literals; abbreviations and two-part names are not", () => {
    expect(hasLiteral("Then type “mirror.example.org” as the mirror name.")).toBe(true);
    expect(hasLiteral("Extract the netboot.tar.gz tarball there.")).toBe(true);
    expect(hasLiteral("Use a desktop, e.g. the default one, or visit example.org.")).toBe(false);
  });

  it("finds a literal of every kind (each passes the cheap scan that comes first), and none in plain prose", () => {
    const literals = [
      "Remove it with --purge as well.", "The log is in /var/log/lamp there.", "Run the lampctl utility again.",
      "Set mode=eco in the file.", "Press Ctrl+Q to quit.", "Press F2 at start.", "Open lamp.config.example now.",
      "It needs 2 gigabytes of space.", "The driver is called lampd3 here.", "Install the PACKAGE the glow package first.",
    ];
    for (const text of literals) expect(hasLiteral(text), text).toBe(true);
    for (const text of ["Turn the knob slowly until the light feels right.", "Mirrors are run by volunteers. Ask them.", "设置完成后请重启。"]) {
      expect(hasLiteral(text), text).toBe(false);
    }
  });
});
