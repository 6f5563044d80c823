/** Dates in JSON are ISO-8601 UTC strings, or null. */
export function iso(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}
