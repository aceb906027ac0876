import { randomFillSync } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { personaForVu } from '../../../scenarios/config.js';
import { photoBytes, photoSizeOf } from '../../../scenarios/lib/photo.js';

const CLASSES = [64 * 1024, 128 * 1024, 256 * 1024, 448 * 1024];
/** What k6/crypto's randomBytes gives in k6: a fresh buffer of random bytes. */
const random = (n: number): ArrayBuffer => randomFillSync(new Uint8Array(n)).buffer as ArrayBuffer;

/** Walks the file's marker segments as a JPEG reader would: SOI, length-delimited segments, EOI. */
function segments(b: Uint8Array): string[] {
  expect([b[0], b[1]]).toEqual([0xff, 0xd8]);
  const seen: string[] = [];
  let p = 2;
  while (p < b.length - 2) {
    expect(b[p]).toBe(0xff);
    seen.push(b[p + 1]!.toString(16));
    p += 2 + ((b[p + 2]! << 8) | b[p + 3]!);
  }
  expect(p).toBe(b.length - 2);
  expect([b[p], b[p + 1]]).toEqual([0xff, 0xd9]);
  return seen;
}

describe('photoBytes', () => {
  it.each(CLASSES.map((s) => [s]))('builds %i bytes of APP0 and comment segments ending exactly at EOI', (size) => {
    const b = new Uint8Array(photoBytes(size, random));
    expect(b.length).toBe(size);
    const seen = segments(b);
    expect(seen[0]).toBe('e0');
    expect(new Set(seen.slice(1))).toEqual(new Set(['fe']));
  });

  it('fits a last segment where a remainder under 5 bytes would not hold a header and a byte', () => {
    for (const size of [26, 27, 65_533 + 26, 65_533 + 27, 65_533 + 29, 65_533 + 31]) segments(new Uint8Array(photoBytes(size, random)));
  });

  it('keeps its source\'s random bytes under the markers: fresh on every call, as incompressible as an entropy-coded photo', () => {
    const a = Buffer.from(photoBytes(448 * 1024, random));
    expect(a.equals(Buffer.from(photoBytes(448 * 1024, random)))).toBe(false);
    expect(gzipSync(a, { level: 9 }).length / a.length).toBeGreaterThan(0.99);
    // The comment segments' headers leave the tail random too.
    expect(gzipSync(a.subarray(400 * 1024), { level: 9 }).length / (48 * 1024)).toBeGreaterThan(0.99);
  });
});

describe('photoSizeOf', () => {
  it('gives each class a quarter of the mix\'s porteiros, at the default mix and at 2000 VUs', () => {
    const count = new Map<number, number>();
    for (let vu = 1; vu <= 2000; vu++) {
      const { persona, ordinal } = personaForVu(vu, { morador: 70, porteiro: 20, sindico: 10 });
      if (persona === 'porteiro') count.set(photoSizeOf(ordinal), (count.get(photoSizeOf(ordinal)) ?? 0) + 1);
    }
    expect(count).toEqual(new Map(CLASSES.map((s) => [s, 100])));
  });
});
