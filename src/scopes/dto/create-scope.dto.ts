import { IsString, Length } from 'class-validator';
import { Omittable } from '../../core/common/omittable';

export class CreateScopeDto {
  @IsString()
  @Length(3, 128)
  name!: string;

  @Omittable()
  @IsString()
  @Length(0, 500)
  description?: string;
}
