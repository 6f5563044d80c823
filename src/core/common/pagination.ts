import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** `?limit=&cursor=`: keyset pagination over time-sortable ids, stable under inserts. */
export class PageQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,80}$/, { message: 'cursor must be a next_cursor value from a previous page' })
  cursor?: string;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export function decodeCursor(cursor: string | undefined): string | null {
  if (!cursor) return null;
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

/** Fetch `limit + 1` rows; the extra one only says whether there is a next page. */
export function toPage<R extends { id: string }, T>(
  rows: R[],
  limit: number,
  present: (row: R) => T,
): Page<T> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    data: pageRows.map(present),
    next_cursor: hasMore && last ? Buffer.from(last.id, 'utf8').toString('base64url') : null,
  };
}
