import type { LoadedDocument } from "../../src/domain/document.js";
import { textSections } from "./text-structure.js";
import { definedOnly, fileLabel, fileNameTitle, finalizeDocument, firstLineTitle, type LoaderInput, normalizeText } from "./normalize.js";

/**
 * Plain text: sections under its numbered or underlined headings when it has an outline (`textSections`), else one
 * section with an empty path. Title: the override, else the first line when it is short
 * (under 100 characters), else the file name.
 */
export function loadText(text: string, input: LoaderInput): LoadedDocument {
  const body = normalizeText(text);
  const doc: LoadedDocument = definedOnly({
    id: input.id,
    title: input.title ?? firstLineTitle(body) ?? fileNameTitle(input),
    sourceType: "manual" as const,
    format: "text/plain",
    sections: textSections(body) ?? [{ path: [], text: body }],
    sourcePath: input.sourcePath,
  });
  return finalizeDocument(doc, fileLabel(input));
}
