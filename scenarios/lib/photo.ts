// The delivery photo a porteiro uploads: a JPEG of one of four size classes (64, 128, 256 and 448 KB, inside the
// API's 50–500 KB), the same bytes on every run. Marker-shaped as a camera's file is (SOI, a JFIF APP0, comment
// segments carrying the payload, EOI) and filled from a fixed xorshift stream, so it is as incompressible as a
// photo's entropy-coded data: no proxy or transport shrinks it.
//
// Memory at 2000 VUs: k6 cannot share one ArrayBuffer between VUs (each VU is its own runtime; open() copies the
// file into every VU; SharedArray keeps JSON strings, and a string body is sent as UTF-8, which breaks bytes ≥ 0x80).
// Building the four classes in every VU's init would hold 896 KB × 2000 = 1.75 GB. So a VU holds one ArrayBuffer,
// of its own class, built once on its first upload and reused for every upload after: only porteiro VUs (20 % of
// the mix) pay, 224 KB each on average (90 MB of k6 heap at 2000 VUs), and the classes are spread evenly over the
// porteiros.

/** The size classes, in bytes (KB = 1024 bytes, as the API's 500 KB limit). */
export const PHOTO_SIZES = [64 * 1024, 128 * 1024, 256 * 1024, 448 * 1024] as const;

/**
 * The class a porteiro uploads, by its place among the porteiros (0-based): classes in turn, so every class has a
 * quarter of them. By VU id instead, the mix's porteiros (VUs 2, 9, 13, 19, 23, 29, …) fell on two classes: at 2000
 * VUs 200 uploaded 64 KB, 199 256 KB, one 128 KB, and none 448 KB.
 */
export const photoSizeOf = (ordinal: number): number => PHOTO_SIZES[ordinal % PHOTO_SIZES.length]!;

/** A comment segment holds at most 65533 payload bytes (its length field counts itself). */
const SEGMENT_PAYLOAD = 65_533;
const APP0 = [0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00];

/** The photo of exactly `size` bytes (≥ 26): the same bytes for the same size, in k6 and in Node alike. */
export function photoBytes(size: number): ArrayBuffer {
  const buf = new ArrayBuffer(size);
  // The xorshift stream fills whole 32-bit words first, the markers are written over it after: a quarter of the
  // loop's steps of a byte-wise fill, and no per-byte arithmetic, whose boxed intermediates k6's runtime would keep
  // on the heap of every uploading VU. (Word order is the host's; k6 and Node run on the same host.)
  const words = new Uint32Array(buf, 0, size >>> 2);
  let x = 0x2545f491 | 0;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x;
  }
  const b = new Uint8Array(buf);
  for (let i = words.length << 2; i < size; i++) b[i] = i & 0xff;
  b[0] = 0xff;
  b[1] = 0xd8;
  let p = 2;
  for (let i = 0; i < APP0.length; i++) b[p++] = APP0[i]!;
  // Comment segments up to 2 bytes before the end (EOI): each has a 4-byte header, so the last one is sized to fit.
  while (p < size - 2) {
    const room = size - 2 - p;
    let payload = room - 4 > SEGMENT_PAYLOAD ? SEGMENT_PAYLOAD : room - 4;
    // A next segment needs its 4-byte header and a byte: a smaller remainder goes to it by shortening this one.
    const rest = room - 4 - payload;
    if (rest > 0 && rest < 5) payload -= 5;
    const len = payload + 2;
    b[p++] = 0xff;
    b[p++] = 0xfe;
    b[p++] = len >> 8;
    b[p++] = len & 0xff;
    p += payload;
  }
  b[size - 2] = 0xff;
  b[size - 1] = 0xd9;
  return buf;
}

/** The VU's photo, built on first use and kept (module scope is per VU). */
let mine: ArrayBuffer | undefined;
export function vuPhoto(ordinal: number): ArrayBuffer {
  return (mine ??= photoBytes(photoSizeOf(ordinal)));
}
