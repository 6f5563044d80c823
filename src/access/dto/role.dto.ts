import { ArrayMaxSize, IsArray, IsString, Matches, MaxLength } from 'class-validator';
import { Omittable } from '../../core/common/omittable';
import { ROLE_NAME } from '../../access/dto/member.dto';

const NAME_MESSAGE = 'name must be lower-case letters, digits, "-" and "_", up to 64';

export class CreateRoleDto {
  @IsString()
  @Matches(ROLE_NAME, { message: NAME_MESSAGE })
  name!: string;

  @Omittable()
  @IsString()
  @MaxLength(500)
  description?: string;

  /** Scopes from the catalog (wildcards allowed), plus `view_all_locations`. */
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  permissions!: string[];
}

export class UpdateRoleDto {
  @Omittable()
  @IsString()
  @Matches(ROLE_NAME, { message: NAME_MESSAGE })
  name?: string;

  @Omittable()
  @IsString()
  @MaxLength(500)
  description?: string;

  @Omittable()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  permissions?: string[];
}
