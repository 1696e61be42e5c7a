/** Typed-array constructors the index grows (all share `new C(length)` and `.set`). */
type TypedArray = Int32Array | Uint32Array | Uint8Array | Float64Array | Uint16Array | Float32Array;
type TypedCtor<T extends TypedArray> = new (length: number) => T;

/** A copy of `a` with room for `length` elements (the first `a.length` kept); `a` itself when already big enough. */
export function grow<T extends TypedArray>(a: T, length: number, ctor: TypedCtor<T>): T {
  if (length <= a.length) return a;
  const out = new ctor(length);
  out.set(a);
  return out;
}

/** Grows an Int32Array geometrically (×1.5) so that index `length - 1` fits: amortised O(1) appends. */
export function growInt32(a: Int32Array, length: number): Int32Array {
  return length <= a.length ? a : grow(a, Math.max(length, Math.ceil(a.length * 1.5)), Int32Array);
}

/** Strings ↔ dense small ints (0, 1, 2, … in first-seen order). */
export class Interner {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];

  /** The id of `value`, assigned on first sight. */
  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }

  /** The id of `value`, or -1 when never seen (lookups must not grow the dictionary). */
  find(value: string): number {
    return this.ids.get(value) ?? -1;
  }

  get size(): number {
    return this.values.length;
  }
}

/** An interner holding `values` (ids = positions); undefined when `values` repeats one (a corrupt table). */
export function internerOf(values: readonly string[]): Interner | undefined {
  const out = new Interner();
  for (let i = 0; i < values.length; i++) if (out.id(values[i]!) !== i) return undefined;
  return out;
}
