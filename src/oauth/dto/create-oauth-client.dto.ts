import { ArrayMaxSize, IsArray, IsString, Length } from 'class-validator';

export class CreateOAuthClientDto {
  @IsString()
  @Length(1, 200)
  name!: string;

  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  scopes!: string[];
}
