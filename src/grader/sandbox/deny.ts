/**
 * A power taken away while grading: calling it throws, saying what to do instead. One function for
 * the sandbox process (./child.ts) and every realm (./in-realm.ts): each loads its own copy, so the
 * error it throws belongs to the realm that calls it.
 */
export function deny(what: string, hint: string): () => never {
  return () => {
    throw new Error(`${what} is not available while grading: ${hint}`);
  };
}
