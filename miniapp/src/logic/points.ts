import { ledgerEntryLabel, type RouteOutput, type routes } from '@huoyue/shared';

type LedgerEntry = RouteOutput<typeof routes.points.ledger>['items'][number];

/** One line of the points history in the member's words (the shared label map the console uses too). */
export function ledgerLabel(e: Pick<LedgerEntry, 'type' | 'sourceType' | 'reason'>): string {
  return ledgerEntryLabel(e);
}
