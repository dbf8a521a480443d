/**
 * How a typed email becomes a login: surrounding space dropped, Unicode composed (NFC),
 * case folded. The database compares `lower(email) = lower($1)`, the same rule its
 * unique index uses, so no character (`_`, `%`, `\`) has a pattern meaning.
 */
export function normaliseEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase();
}
