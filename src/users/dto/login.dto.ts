import { IsString, Length, MaxLength } from 'class-validator';
import { Omittable } from '../../core/common/omittable';

/** Lengths are loose on purpose: a login never says which rule a wrong password broke. */
export class LoginDto {
  @IsString()
  @MaxLength(254)
  email!: string;

  @IsString()
  @MaxLength(1024)
  password!: string;

  /** Names the token this login issues (Sanctum's `device_name`); default `login`. */
  @Omittable()
  @IsString()
  @Length(1, 200)
  device_name?: string;
}

/** The dashboard's sign-in: a session, not a token (no device name). */
export class SignInDto {
  @IsString()
  @MaxLength(254)
  email!: string;

  @IsString()
  @MaxLength(1024)
  password!: string;
}
