import os from "node:os";

/**
 * Float32 vectors <-> SQLite BLOBs. The stored format is Float32 little-endian; typed arrays use the platform's
 * byte order, so a big-endian host would silently read garbage — refuse it instead.
 */
if (os.endianness() !== "LE") {
  throw new Error("vector-codec: big-endian platforms are not supported (vectors are stored as Float32 little-endian)");
}

/** A Buffer view over the vector's memory (no copy): valid as long as the vector is not mutated. */
export function vectorToBuffer(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

/**
 * A Float32Array over a BLOB. Views the bytes directly when they are 4-byte aligned (the usual case for the
 * buffers better-sqlite3 returns), else copies, since typed arrays cannot start at unaligned offsets.
 */
export function bufferToVector(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) {
    throw new Error(`vector-codec: blob of ${bytes.byteLength} bytes is not a Float32 vector`);
  }
  if (bytes.byteOffset % 4 === 0) {
    return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  }
  const copy = new Uint8Array(bytes);
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

/** Byte-wise equality of a stored BLOB and a vector (decides whether a kept chunk's vector changed). */
export function sameVector(stored: Uint8Array, vector: Float32Array): boolean {
  return Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength).equals(vectorToBuffer(vector));
}
