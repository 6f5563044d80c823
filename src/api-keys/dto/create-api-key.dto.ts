import { Type } from 'class-transformer';
import { Omittable } from '../../core/common/omittable';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export class RateLimitDto {
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  limit!: number;

  @IsInt()
  @Min(1)
  @Max(31 * 86400)
  window_seconds!: number;
}

/**
 * `scopes` and `ip_allowlist` entries are checked by the service (catalog, escalation, CIDR
 * parsing), which knows the tenant; here only their shape.
 */
export class CreateApiKeyDto {
  @IsString()
  @Length(1, 200)
  name!: string;

  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  scopes!: string[];

  @Omittable()
  @IsIn(['live', 'test'])
  environment?: 'live' | 'test';

  /** ISO-8601; null for no expiry even when DEFAULT_KEY_LIFETIME is set. */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsISO8601({ strict: true }, { message: 'expires_at must be an ISO-8601 date-time' })
  expires_at?: string | null;

  @Omittable()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  ip_allowlist?: string[];

  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(1, 32)
  rate_limit_tier?: string | null;

  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @ValidateNested()
  @Type(() => RateLimitDto)
  rate_limit?: RateLimitDto | null;
}
