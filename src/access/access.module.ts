import { Module } from '@nestjs/common';
import { ScopesModule } from '../scopes/scopes.module';
import { Authority } from './authority';
import { PermissionResolver } from './permission-resolver';

/**
 * Who holds what: users' permissions per workspace (PermissionResolver, cached for the guard
 * chain) and the one authorization rule every change to a credential, user, membership or role
 * goes through (Authority).
 */
@Module({
  imports: [ScopesModule],
  providers: [PermissionResolver, Authority],
  exports: [PermissionResolver, Authority],
})
export class AccessModule {}
