import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Environment } from '@keygate/client';

/** Who called the host app, as Keygate verified it. */
export interface KeygatePrincipal {
  keyId: string;
  credentialType: 'workspace_key' | 'user_token';
  userId: string | null;
  workspaceId: string | null;
  environment: Environment | null;
  scopes: string[];
  expiresAt: string | null;
}

/** Where the guard leaves the verified principal on the request. */
export const PRINCIPAL_PROPERTY = 'keygatePrincipal';

/** The verified key of this request, in a handler: `list(@KeygatePrincipal() who: KeygatePrincipal)`. */
export const KeygatePrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): KeygatePrincipal | undefined =>
    context.switchToHttp().getRequest<Record<string, KeygatePrincipal | undefined>>()[PRINCIPAL_PROPERTY],
);
