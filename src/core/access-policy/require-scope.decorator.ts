import { Reflector } from '@nestjs/core';
import { normalizeScope } from './scope-names';

/**
 * Protects a controller or handler: the caller's effective scopes must cover `scope`
 * (`invoices:create`; dot notation is accepted and stored in colon form). A handler's scope
 * overrides its controller's. The scope joins the catalog at boot, so keys can be granted it.
 *
 *   @RequireScope('invoices:create')
 *   @Post() create(@Body() dto: CreateInvoiceDto) { … }
 */
export const RequireScope = Reflector.createDecorator<string, string>({
  transform: (scope) => {
    const normalized = normalizeScope(scope);
    if (!normalized || normalized.includes('*')) {
      throw new Error(`@RequireScope('${scope}'): expected a concrete scope such as 'invoices:create'`);
    }
    return normalized;
  },
});

/**
 * Derives the scope from the route (seed 001): resource from the first path segment after the
 * API prefix, action from the method (GET→read, POST→create, PUT/PATCH→update, DELETE→delete).
 * Off unless a controller opts in; an explicit @RequireScope still wins.
 */
export const AutoScope = Reflector.createDecorator<true>({ transform: () => true });
