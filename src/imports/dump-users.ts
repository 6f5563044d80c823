import type { LegacyFormat } from '../core/context/legacy-formats';
import { InvalidInputError } from '../core/errors';
import type { LegacyRow } from './dump-rows';
import { idOf, RowError } from './dump-rows';

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}$/;

/**
 * The dump's `users` (`[{id, email}]`): old user id → email, which names the Keygate user a
 * token becomes. Only formats whose tokens belong to users need it; a malformed entry refuses the
 * dump (422 at `users.<n>`, 1-based).
 */
export function readUsers(
  format: LegacyFormat,
  users: unknown,
  rows: ReadonlyArray<LegacyRow | null>,
): Map<string, string> {
  const out = new Map<string, string>();
  if (format !== 'sanctum' && format !== 'voltis') return out;
  if (users === undefined && rows.every((r) => r === null)) return out;
  if (!Array.isArray(users))
    throw InvalidInputError.field('users', `${format} tokens belong to users: give users as [{id, email}]`);
  const errors: Record<string, string[]> = {};
  users.forEach((raw: unknown, i) => {
    try {
      if (typeof raw !== 'object' || raw === null) throw new RowError('not an object');
      const entry = raw as Record<string, unknown>;
      const id = idOf(entry, 'id');
      if (typeof entry.email !== 'string' || !EMAIL.test(entry.email))
        throw new RowError('email is not an email address');
      const earlier = out.get(id);
      // One old id, two emails: which Keygate user would its tokens belong to?
      if (earlier !== undefined && earlier.toLowerCase() !== entry.email.toLowerCase())
        throw new RowError(`id ${id} appears twice with different emails`);
      out.set(id, entry.email);
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      errors[`users.${i + 1}`] = [error.message];
    }
  });
  if (Object.keys(errors).length > 0) throw new InvalidInputError(errors);
  return out;
}
