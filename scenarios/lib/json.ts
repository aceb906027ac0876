// A response body as JSON, or undefined when it is not JSON (api.ts and session.ts both read bodies).

export function jsonOf(res: { json(): unknown }): unknown {
  try {
    return res.json();
  } catch {
    return undefined;
  }
}
