import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { decodeCursor, Page, toPage } from '../common/pagination';

export const DEFAULT_PAGE_SIZE = 20;

/**
 * One keyset page of a (tenant-scoped) query, ordered by id: ids are time-sortable, so this is
 * creation order (`newest` first for logs and key lists) and stays stable while rows are inserted.
 * Fetches one extra row to learn whether there is a next page (see toPage). The one pagination of
 * every tenant listing.
 */
export async function keysetPage<R extends ObjectLiteral & { id: string }, T>(
  qb: SelectQueryBuilder<R>,
  alias: string,
  query: { cursor?: string; limit?: number },
  present: (row: R) => T,
  { newest = false } = {},
): Promise<Page<T>> {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const after = decodeCursor(query.cursor);
  if (after) qb.andWhere(`${alias}.id ${newest ? '<' : '>'} :after`, { after });
  const rows = await qb
    .orderBy(`${alias}.id`, newest ? 'DESC' : 'ASC')
    .limit(limit + 1)
    .getMany();
  return toPage(rows, limit, present);
}
