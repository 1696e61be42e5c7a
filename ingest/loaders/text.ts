import type { LoadedDocument } from "../../src/domain/document.js";
import { definedOnly, fileLabel, fileNameTitle, finalizeDocument, firstLineTitle, type LoaderInput, normalizeText } from "./normalize.js";

/**
 * Plain text: one section with an empty path. Title: the override, else the first line when it is short
 * (under 100 characters), else the file name.
 */
export function loadText(text: string, input: LoaderInput): LoadedDocument {
  const body = normalizeText(text);
  const doc: LoadedDocument = definedOnly({
    id: input.id,
    title: input.title ?? firstLineTitle(body) ?? fileNameTitle(input),
    sourceType: "manual" as const,
    format: "text/plain",
    sections: [{ path: [], text: body }],
    sourcePath: input.sourcePath,
  });
  return finalizeDocument(doc, fileLabel(input));
}
