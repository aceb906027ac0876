// Endpoint and profile globs of thresholds.json. Pure, so both the loader and the k6 translation use it.

/** A glob over endpoint or profile names: `*` any run of characters, `?` one character; the whole name must match. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

export function isGlob(s: string): boolean {
  return /[*?]/.test(s);
}
