import { IsOptional, IsString, Length } from 'class-validator';

export class CreateScopeDto {
  @IsString()
  @Length(3, 128)
  name!: string;

  @IsOptional()
  @IsString()
  @Length(0, 500)
  description?: string;
}
