import { Module } from '@nestjs/common';
import { UserDirectory } from './user-directory';
import { UsersRepository } from './users.repository';

/**
 * The lower half of the users feature: its repository and the directory other features read.
 * Separate from UsersModule, which needs the authorization rule (AccessModule), because the rule
 * itself needs to read users.
 */
@Module({
  providers: [UsersRepository, UserDirectory],
  exports: [UsersRepository, UserDirectory],
})
export class UserDirectoryModule {}
