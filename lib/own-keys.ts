// Objects keyed by names from the input (endpoints, metrics, scenarios, checks): a name such as `__proto__`,
// `constructor` or `toString` is data there, never the object's own machinery. Writes define an own property
// (assignment to `__proto__` would set the prototype instead), reads see own properties only.

/** `o[k] = v` as a plain own property, whatever `k` is. */
export function setOwn<T>(o: Record<string, T>, k: string, v: T): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** `o[k]` when `o` itself has `k`; never an inherited Object.prototype member. */
export function getOwn<T>(o: Readonly<Record<string, T>> | undefined, k: string): T | undefined {
  return o !== undefined && Object.hasOwn(o, k) ? o[k] : undefined;
}

/** An object built from entries, names kept as own properties (Object.fromEntries does the same; this says why). */
export function ownRecord<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const o: Record<string, T> = {};
  for (const [k, v] of entries) setOwn(o, k, v);
  return o;
}

/** A copy of `o` without a prototype: `r[name]` and `name in r` then see the input's names only. */
export function nullProto<T>(o: Readonly<Record<string, T>>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, o);
}
