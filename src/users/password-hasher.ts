import { Injectable } from '@nestjs/common';
import * as bcrypt from 'bcrypt';
import { InjectConfig, KeygateConfig } from '../core/config/keygate.config';

/** bcrypt for user passwords only (cost BCRYPT_ROUNDS); API keys are HMAC'd, never bcrypt'd. */
@Injectable()
export class PasswordHasher {
  /** Compared against when the email is unknown, so both failures cost one bcrypt. */
  private readonly dummyHash: string;

  constructor(@InjectConfig() private readonly config: KeygateConfig) {
    this.dummyHash = bcrypt.hashSync('keygate-dummy-password', config.bcryptRounds);
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.config.bcryptRounds);
  }

  /** bcrypt ignores bytes past 72; longer passwords are refused at input, never silently cut. */
  verify(password: string, hash: string | null): Promise<boolean> {
    return bcrypt.compare(password, hash ?? this.dummyHash).then((ok) => ok && hash !== null);
  }
}
