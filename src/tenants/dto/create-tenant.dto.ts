import { DNS_LABEL } from '../../core/common/dns-label';
import { IsByteLength, IsEmail, IsString, Length, Matches, MaxLength, MinLength } from 'class-validator';
import { Omittable } from '../../core/common/omittable';

const OWNER_PASSWORD =
  'owner_password must be 8 to 72 characters (at most 72 bytes: bcrypt ignores anything longer)';

/** A slug is the left-most label of the tenant's host. */
export const SLUG_PATTERN = DNS_LABEL;

export class CreateTenantDto {
  @IsString()
  @Matches(SLUG_PATTERN, {
    message: 'slug must be a DNS label: lower-case letters, digits and inner hyphens, up to 63',
  })
  slug!: string;

  @Omittable()
  @IsString()
  @Length(1, 200)
  name?: string;

  @IsEmail({}, { message: 'owner_email must be an email address' })
  @MaxLength(254)
  owner_email!: string;

  /** bcrypt reads 72 BYTES: counted in bytes, so a longer password is refused, never cut. */
  @IsString()
  @MinLength(8, { message: OWNER_PASSWORD })
  @IsByteLength(0, 72, { message: OWNER_PASSWORD })
  owner_password!: string;
}

export class UpdateTenantDto {
  @IsString()
  @Length(1, 200)
  name!: string;
}
