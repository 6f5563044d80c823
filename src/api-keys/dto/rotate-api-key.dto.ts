import { IsInt, IsString, Length, Max, Min } from 'class-validator';
import { Omittable } from '../../core/common/omittable';

export class RotateApiKeyDto {
  /** How long the old key keeps working; default ROTATION_GRACE_SECONDS, 0 = revoke at once. */
  @Omittable()
  @IsInt()
  @Min(0)
  @Max(365 * 86400)
  grace_period_seconds?: number;
}

export class RevokeByValueDto {
  @IsString()
  @Length(1, 200)
  key!: string;
}
