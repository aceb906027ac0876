// Password hashing (scrypt from node:crypto): slow on purpose, so a login costs what a real one does.

import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

// N=1024 keeps seeding a thousand users to a few seconds while a login still does real CPU work.
const N = 1024;
const KEYLEN = 32;

export function hashPasswordSync(password: string, salt: Buffer = randomBytes(16)): string {
  const hash = scryptSync(password, salt, KEYLEN, { N });
  return `scrypt$${N}$${salt.toString('hex')}$${hash.toString('hex')}`;
}

/** Checks a password against a stored hash, off the event loop (libuv pool). */
export function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [algo, n, saltHex, hashHex] = stored.split('$');
  if (algo !== 'scrypt' || !n || !saltHex || !hashHex) return Promise.resolve(false);
  const expected = Buffer.from(hashHex, 'hex');
  return new Promise((resolve) => {
    scrypt(password, Buffer.from(saltHex, 'hex'), expected.length, { N: Number(n) }, (err, got) => {
      resolve(!err && got.length === expected.length && timingSafeEqual(got, expected));
    });
  });
}

/** The seeded users' passwords are derived, not stored, so /__sandbox/users can hand them out. */
export function seededPassword(role: string, id: number): string {
  return `sandbox-${role}-${id}`;
}
