import { Injectable } from '@nestjs/common';
import { InvalidInputError } from '../common/errors';
import { RequestContext } from '../pipeline/request-context';
import { RoleDirectory } from '../workspaces/role-directory';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';

/**
 * The user a change targets, once it is safe to change: 404 for another tenant's id (scoped
 * repository), 422 on oneself when the change could lock the caller out (deactivate, delete,
 * tenant role), 403 when the target's tenant role carries more than the caller holds.
 */
@Injectable()
export class ManageableUsers {
  constructor(
    private readonly users: UsersRepository,
    private readonly roles: RoleDirectory,
    private readonly context: RequestContext,
  ) {}

  async find(id: string, { selfAllowed = false } = {}): Promise<User> {
    const user = await this.users.findOneOrFail({ id });
    if (!selfAllowed && this.context.principal()?.userId === id) {
      throw InvalidInputError.field(
        'id',
        'You cannot deactivate, delete or demote your own user; ask another administrator.',
      );
    }
    await this.roles.assertOutranks(user.tenantRole);
    return user;
  }
}
