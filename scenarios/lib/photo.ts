// The delivery photo a porteiro uploads: a JPEG of one of four size classes (64, 128, 256 and 448 KB, inside the
// API's 50–500 KB). Marker-shaped as a camera's file is (SOI, a JFIF APP0, comment segments carrying the payload, EOI)
// and filled with random bytes, so it is as incompressible as a photo's entropy-coded data: no proxy or transport
// shrinks it.
//
// The bytes come from the caller (`random`): in k6, k6/crypto's randomBytes, which draws them in Go and hands
// the buffer over at once. Web Crypto's getRandomValues (k6's global `crypto`) stores each byte into the array by a
// property set keyed by its index as a string (k6 v2.2.0), and filling the porteiros' photos that way was about
// 45 % of k6's CPU while they built them at 2000 VUs (bench/generator). A fill in script code cost more still: k6's
// runtime boxes every integer a shift or xor makes. The bytes differ between VUs and runs; nothing measured
// depends on them.
//
// Memory at 2000 VUs: k6 cannot share one ArrayBuffer between VUs (each VU is its own runtime; open() copies the
// file into every VU; SharedArray keeps JSON strings, and a string body is sent as UTF-8, which breaks bytes ≥ 0x80).
// Building the four classes in every VU's init would hold 896 KB × 2000 = 1.75 GB. So a VU holds one ArrayBuffer,
// of its own class, built once on its first upload and reused for every upload after (personas/porteiro.ts): only porteiro VUs (20 % of
// the mix) pay, 224 KB each on average (90 MB of k6 heap at 2000 VUs), and the classes are spread evenly over the
// porteiros.

/**
 * The class a porteiro uploads (64, 128, 256 or 448 KB; KB = 1024 bytes, as the API's 500 KB limit), by its place
 * among the porteiros (0-based): classes in turn, so every class has a quarter of them. By VU id instead, the mix's
 * porteiros (VUs 2, 9, 13, 19, 23, 29, …) fell on two classes: at 2000 VUs 200 uploaded 64 KB, 199 256 KB, one
 * 128 KB, and none 448 KB.
 */
export const photoSizeOf = (ordinal: number): number => [64, 128, 256, 448][ordinal % 4]! * 1024;

/** A comment segment holds at most 65533 payload bytes (its length field counts itself). */
const SEGMENT_PAYLOAD = 65_533;

/** A photo of exactly `size` bytes (≥ 26): `random(size)`'s bytes, the markers written over them. */
export function photoBytes(size: number, random: (size: number) => ArrayBuffer): ArrayBuffer {
  const buf = random(size);
  const b = new Uint8Array(buf);
  b[0] = 0xff;
  b[1] = 0xd8;
  // A JFIF APP0 segment (an array literal here, not a module constant: each array a module holds, every VU holds).
  b.set([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00], 2);
  let p = 20;
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
