import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantScopedRepository } from '../core/database/tenant-scoped.repository';
import type { RequestContext } from '../core/context/request-context';
import { User } from './user.entity';

@Injectable()
export class UsersRepository extends TenantScopedRepository<User> {
  constructor(dataSource: DataSource) {
    super(User, dataSource);
  }

  /** With the password hash, for login only. */
  findByEmailWithPassword(ctx: RequestContext, email: string): Promise<User | null> {
    return this.queryBuilder(ctx, 'u')
      .addSelect('u.passwordHash')
      .andWhere('u.email = :email', { email })
      .getOne();
  }
}
