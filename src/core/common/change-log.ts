/** The scope a resync records: every look-up in flight counts as raced. */
export const EVERYTHING = '*';
/** Changes remembered; a look-up older than all of them counts as raced (one more query at worst). */
const MAX_ENTRIES = 1024;

/**
 * What changed lately, for a cache whose look-ups can race an invalidation. A look-up takes
 * `mark()` before it reads and keeps what it read only if `changedSince(mark, scopes)` is false
 * for the scopes the row belongs to (`key:<id>`, `user:<id>`, `tenant:<id>`…). Scoped, so that
 * one tenant's steady changes do not stop every other tenant's look-ups from being cached.
 */
export class ChangeLog {
  private seq = 0;
  private readonly entries: Array<{ seq: number; scope: string }> = [];

  mark(): number {
    return this.seq;
  }

  record(scope: string): void {
    this.entries.push({ seq: ++this.seq, scope });
    if (this.entries.length > MAX_ENTRIES) this.entries.shift();
  }

  changedSince(mark: number, scopes: readonly string[]): boolean {
    if (mark === this.seq) return false;
    if (this.entries.length === 0 || this.entries[0].seq > mark + 1) return true;
    for (let i = this.entries.length - 1; i >= 0 && this.entries[i].seq > mark; i--) {
      const scope = this.entries[i].scope;
      if (scope === EVERYTHING || scopes.includes(scope)) return true;
    }
    return false;
  }
}
