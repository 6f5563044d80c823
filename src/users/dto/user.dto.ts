import { applyDecorators } from '@nestjs/common';
import { Omittable } from '../../core/common/omittable';
import { Type } from 'class-transformer';
import {
  IsByteLength,
  IsEmail,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { ROLE_NAME } from '../../access/dto/member.dto';

const PASSWORD_MESSAGE =
  'password must be 8 to 72 characters (at most 72 bytes: bcrypt ignores anything longer)';
const ROLE_MESSAGE = 'tenant_role must be a role name such as admin or viewer';

/**
 * Password rules shared by create and update: bcrypt reads only the first 72 BYTES, so the limit
 * is on bytes (a 72-character password with accents would be longer), and longer is refused.
 */
const Password = () =>
  applyDecorators(
    IsString(),
    MinLength(8, { message: PASSWORD_MESSAGE }),
    IsByteLength(0, 72, { message: PASSWORD_MESSAGE }),
  );

export class CreateUserDto {
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  @Password()
  password!: string;

  @IsString()
  @Length(1, 200)
  name!: string;

  /** A role that applies in every workspace (see User.tenantRole); omitted: none. */
  @IsOptional()
  @IsString()
  @Matches(ROLE_NAME, { message: ROLE_MESSAGE })
  tenant_role?: string | null;
}

export class UpdateUserDto {
  @Omittable()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email?: string;

  @Omittable()
  @Password()
  password?: string;

  @Omittable()
  @IsString()
  @Length(1, 200)
  name?: string;

  /** `null` removes the tenant role. */
  @IsOptional()
  @IsString()
  @Matches(ROLE_NAME, { message: ROLE_MESSAGE })
  tenant_role?: string | null;
}

export class SearchUsersDto {
  @IsString()
  @Length(1, 100)
  q!: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;
}

export class CurrentWorkspaceDto {
  @IsString()
  @MaxLength(40)
  workspace_id!: string;
}
