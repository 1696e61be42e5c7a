/** What startCollection needs of GET /whoami (kept free of api.ts so the server-side tests can import it). */
export interface KeyCollections {
  collections: readonly string[] | null;
  defaultCollection: string;
}

/**
 * Where a new curated answer is saved by default: a collection the question was asked in (that the key may use), else
 * the key's first collection when it is limited, else the server's default. A bot limited to `manuals` only ever
 * finds a curated answer saved in `manuals`.
 */
export function startCollection(asked: readonly string[] | undefined, me: KeyCollections): string {
  const usable = (asked ?? []).filter((c) => !me.collections || me.collections.includes(c));
  return usable[0] ?? me.collections?.[0] ?? me.defaultCollection;
}
