import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../context/request-context';

/**
 * Something that spends a budget without being a credential row of its own: an OAuth client made
 * by a key, whose future tokens take the budget's terms. What a change of those terms is checked
 * against, as a live workspace key of these scopes in that workspace.
 */
export interface BudgetSharer {
  type: string;
  id: string;
  workspaceId: string;
  scopes: readonly string[];
}

type Source = (ctx: RequestContext, budgetId: string) => Promise<BudgetSharer[]>;

/**
 * Who else spends a budget, for the feature that changes a budget's terms (api-keys), from the
 * features that hold one (oauth), which register here: a feature reads no other's repository,
 * and oauth depends on api-keys, not the other way round. An attack pass loosened a client's
 * budget without holding its scopes whenever the client had no live token to be checked.
 */
@Injectable()
export class BudgetSharers {
  private readonly sources: Source[] = [];

  register(source: Source): void {
    this.sources.push(source);
  }

  async of(ctx: RequestContext, budgetId: string): Promise<BudgetSharer[]> {
    const found: BudgetSharer[] = [];
    for (const source of this.sources) found.push(...(await source(ctx, budgetId)));
    return found;
  }
}
