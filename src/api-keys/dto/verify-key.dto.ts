import { ArrayMaxSize, IsArray, IsIP, IsOptional, IsString, Length } from 'class-validator';

export class VerifyKeyDto {
  @IsString()
  @Length(1, 200)
  key!: string;

  /** Scopes the key must hold; all of them. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  scopes?: string[];

  /** The address the key was presented from, checked against its allowlist. */
  @IsOptional()
  @IsIP()
  ip?: string;
}
