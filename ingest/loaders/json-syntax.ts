/**
 * Where and why JSON text is malformed, without quoting it. V8's JSON.parse messages quote the input around the
 * error ('Unexpected token ..., "…note": leak.two@e"… is not valid JSON'), and error messages end up in the store,
 * the job's error and the logs, so loaders report this position-only description instead.
 */

export interface JsonSyntaxError {
  /** 0-based offset of the first offending character (the text's length for a premature end). */
  offset: number;
  /** 1-based line and column of `offset`. */
  line: number;
  column: number;
  reason: "unexpected character" | "unexpected end of input" | "control character in string" | "invalid escape in string";
}

type State = "value" | "firstValue" | "key" | "firstKey" | "after";
const WS = new Set([" ", "\t", "\n", "\r"]);
const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);

/** Describes the first syntax error in `text` (iteratively: deep nesting cannot overflow the stack); undefined when valid. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const stack: string[] = [];
  let state: State = "value";
  let i = 0;
  const fail = (at: number, reason?: JsonSyntaxError["reason"]): JsonSyntaxError =>
    locate(text, at, reason ?? (at >= text.length ? "unexpected end of input" : "unexpected character"));
  for (;;) {
    while (i < text.length && WS.has(text[i]!)) i++;
    if (i >= text.length) return state === "after" && stack.length === 0 ? undefined : fail(i);
    const ch = text[i]!;
    if (state === "after") {
      const top = stack[stack.length - 1];
      if (top === undefined) return fail(i);
      if (ch === ",") state = top === "{" ? "key" : "value";
      else if ((ch === "}" && top === "{") || (ch === "]" && top === "[")) stack.pop();
      else return fail(i);
      i++;
    } else if (state === "key" || state === "firstKey") {
      if (ch === "}" && state === "firstKey") {
        stack.pop();
        i++;
        state = "after";
        continue;
      }
      if (ch !== '"') return fail(i);
      const end = scanString(text, i);
      if (typeof end !== "number") return end;
      i = end;
      while (i < text.length && WS.has(text[i]!)) i++;
      if (text[i] !== ":") return fail(i);
      i++;
      state = "value";
    } else {
      if (ch === "]" && state === "firstValue") {
        stack.pop();
        i++;
        state = "after";
        continue;
      }
      const end = scanValueStart(text, i, stack);
      if (typeof end !== "number") return end;
      state = ch === "{" ? "firstKey" : ch === "[" ? "firstValue" : "after";
      i = end;
    }
  }
}

/** A scalar value or the opening of a container at `i`: the offset after it, or the error. */
function scanValueStart(text: string, i: number, stack: string[]): number | JsonSyntaxError {
  const ch = text[i]!;
  if (ch === "{" || ch === "[") {
    stack.push(ch);
    return i + 1;
  }
  if (ch === '"') return scanString(text, i);
  for (const literal of ["true", "false", "null"]) if (text.startsWith(literal, i)) return i + literal.length;
  NUMBER_RE.lastIndex = i;
  if (NUMBER_RE.test(text)) return NUMBER_RE.lastIndex;
  return locate(text, i, "unexpected character");
}

function scanString(text: string, start: number): number | JsonSyntaxError {
  for (let j = start + 1; j < text.length; j++) {
    const c = text[j]!;
    if (c === '"') return j + 1;
    if (c.charCodeAt(0) < 0x20) return locate(text, j, "control character in string");
    if (c === "\\") {
      const next = text[j + 1];
      if (next === "u" ? !/^[0-9A-Fa-f]{4}$/.test(text.slice(j + 2, j + 6)) : next === undefined || !ESCAPES.has(next)) {
        return locate(text, j, next === undefined ? "unexpected end of input" : "invalid escape in string");
      }
      j += next === "u" ? 5 : 1;
    }
  }
  return locate(text, text.length, "unexpected end of input");
}

function locate(text: string, offset: number, reason: JsonSyntaxError["reason"]): JsonSyntaxError {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf("\n"); k >= 0 && k < offset; k = text.indexOf("\n", k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { offset, line, column: offset - lineStart + 1, reason };
}

/** "line L, column C: reason" for a text JSON.parse rejected (or a generic reason if the scanner finds none). */
export function describeJsonSyntaxError(text: string): string {
  const found = findJsonSyntaxError(text);
  return found ? `line ${found.line}, column ${found.column}: ${found.reason}` : "not valid JSON";
}

/**
 * Whether any array or object in JSON text nests deeper than `max` (`perLine`: JSONL, each line its own value). A
 * linear scan that skips strings, run before parsing: V8 parses very deep JSON happily, but the records then reach
 * code that walks them recursively, so a hostile file is rejected as bad input up front.
 */
export function jsonNestsDeeperThan(text: string, max: number, perLine = false): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth = Math.max(0, depth - 1);
    else if (c === 0x0a && perLine) depth = 0;
  }
  return false;
}
