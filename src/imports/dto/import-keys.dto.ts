import { IsArray, IsBoolean, IsIn, IsString, Length } from 'class-validator';
import { Omittable } from '../../core/common/omittable';
import { LEGACY_FORMATS, type LegacyFormat } from '../../core/context/legacy-formats';

/** `POST /api/v1/api-keys/import`: a dump as the CLI reads it from a file (dump-rows.ts reads the rows). */
export class ImportKeysDto {
  @IsIn(LEGACY_FORMATS, { message: `format must be one of ${LEGACY_FORMATS.join(', ')}` })
  format!: LegacyFormat;

  @IsArray()
  rows!: unknown[];

  @Omittable()
  @IsArray()
  users?: unknown[];

  @Omittable()
  @IsString()
  @Length(1, 40)
  workspace_id?: string;

  /** Register scopes the catalog lacks (as custom scopes) instead of refusing their rows. */
  @Omittable()
  @IsBoolean()
  register_scopes?: boolean;

  /** Voltis: the old application's HMAC key; stored only sealed under APP_KEY. */
  @Omittable()
  @IsString()
  @Length(8, 512)
  legacy_key?: string;
}
