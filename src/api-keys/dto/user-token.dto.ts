import { ArrayMaxSize, IsArray, IsISO8601, IsOptional, IsString, Length } from 'class-validator';
import { Omittable } from '../../core/common/omittable';

export class CreateUserTokenDto {
  @IsString()
  @Length(1, 200)
  name!: string;

  /** Scopes the token may use (default `*`); at use they are capped by the user's permissions. */
  @Omittable()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  abilities?: string[];

  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'expires_at must be an ISO-8601 date-time' })
  expires_at?: string | null;
}
