import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantScopedRepository } from '../core/database/tenant-scoped.repository';
import { RequestContext } from '../core/context/request-context';
import { User } from './user.entity';

@Injectable()
export class UsersRepository extends TenantScopedRepository<User> {
  constructor(dataSource: DataSource, context: RequestContext) {
    super(User, dataSource, context);
  }

  /** With the password hash, for login only. */
  findByEmailWithPassword(email: string): Promise<User | null> {
    return this.queryBuilder('u')
      .addSelect('u.passwordHash')
      .andWhere('u.email = :email', { email })
      .getOne();
  }
}
