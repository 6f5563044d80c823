import { ArrayMaxSize, IsArray, IsIP, IsString, Length } from 'class-validator';
import { Omittable } from '../../core/common/omittable';

export class VerifyKeyDto {
  @IsString()
  @Length(1, 200)
  key!: string;

  /** Scopes the key must hold; all of them. */
  @Omittable()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  scopes?: string[];

  /** The address the key was presented from, checked against its allowlist. */
  @Omittable()
  @IsIP()
  ip?: string;
}
