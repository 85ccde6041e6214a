/**
 * The checksum a migration is recorded with: FNV-1a (64-bit) of the text with line endings normalised, so a CRLF
 * checkout is not an edit. The build computes it for the store's own files (vite-plugin-migrations.ts), so a worker
 * start does not; it imports nothing, so that the build's config can load it.
 */
export function checksum(sql: string): string {
  // On four 16-bit limbs, v0 the lowest, so that every product stays a small integer; the prime is 2^40 + 0x1b3.
  let v0 = 0x2325;
  let v1 = 0x8422;
  let v2 = 0x9ce4;
  let v3 = 0xcbf2;
  for (const byte of new TextEncoder().encode(sql.replace(/\r\n?/g, '\n'))) {
    v0 ^= byte;
    const t0 = v0 * 0x1b3;
    let t1 = v1 * 0x1b3;
    let t2 = v2 * 0x1b3 + (v0 << 8);
    const t3 = v3 * 0x1b3 + (v1 << 8);
    t1 += t0 >>> 16;
    v0 = t0 & 0xffff;
    t2 += t1 >>> 16;
    v1 = t1 & 0xffff;
    v3 = (t3 + (t2 >>> 16)) & 0xffff;
    v2 = t2 & 0xffff;
  }
  return [v3, v2, v1, v0].map((limb) => limb.toString(16).padStart(4, '0')).join('');
}
