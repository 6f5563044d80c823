import { IsString, Matches, MaxLength } from 'class-validator';

/** Role names: a built-in role or a tenant role (checked by RoleDirectory). */
export const ROLE_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const ROLE_MESSAGE = 'role must be a role name: lower-case letters, digits, "-" and "_", up to 64';

export class AddMemberDto {
  @IsString()
  @MaxLength(40)
  user_id!: string;

  @IsString()
  @Matches(ROLE_NAME, { message: ROLE_MESSAGE })
  role!: string;
}

export class UpdateMemberDto {
  @IsString()
  @Matches(ROLE_NAME, { message: ROLE_MESSAGE })
  role!: string;
}
