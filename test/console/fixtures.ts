import { PDFDocument, StandardFonts } from "pdf-lib";

/** What the kettle manual says about descaling; the replaced manual says something else, so answers must change. */
export const DESCALER = { original: "white vinegar", replaced: "citric acid" } as const;

/** A two-page PDF manual (generated, never a checked-in binary). */
export async function kettlePdf(descaler: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle("Aurora Kettle Manual");
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const pages: Array<[string, string[]]> = [
    ["Filling and boiling", ["Fill the Aurora kettle between the MIN and MAX marks.", "Press the switch once; the kettle stops by itself when the water boils."]],
    ["Descaling the kettle", [`To descale the Aurora kettle, fill it halfway with ${descaler} and water in equal parts.`, "Boil the mixture, leave it for one hour, then rinse the kettle three times with clean water.", "Descale the kettle every month in hard water areas."]],
  ];
  for (const [heading, lines] of pages) {
    const page = doc.addPage([420, 300]);
    page.drawText(heading, { x: 30, y: 250, size: 16, font: bold });
    lines.forEach((line, i) => page.drawText(line, { x: 30, y: 215 - i * 20, size: 9, font }));
  }
  return Buffer.from(await doc.save());
}

/** A ticket export with one ticket about the kettle's red light (its phone number is stored as the placeholder [PHONE]). */
export const KETTLE_TICKETS = JSON.stringify([
  {
    id: "T-4711",
    subject: "Kettle light blinks red",
    category: "hardware-fault",
    messages: [
      { role: "customer", text: "The light on my Aurora kettle blinks red after boiling. What does it mean?" },
      { role: "agent", text: "A blinking red light on the Aurora kettle means the heating plate is overheating because of scale: descale the kettle, and if the red light keeps blinking call our service line at +1 415 555 0100." },
    ],
    resolution: "Descaled; the red light stopped blinking.",
  },
]);
