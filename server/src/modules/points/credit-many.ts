import type { Tx } from '../../infra/events/unit-of-work.js';
import type { PointsEntry } from './entities/points-entry.entity.js';
import type { AccountAfter, LotRow, PointsLedgerRepository } from './points-ledger.repository.js';
import type { CreditInput } from './points.service.js';

/** A credit whose cause may be booked already needs a look-up first: credited one by one. */
export function needsOneByOne(input: CreditInput): boolean {
  return !input.fresh;
}

/** Members of reward inputs whose eligibility the caller did not check (one look-up for them all). */
export function uncheckedRewards(inputs: CreditInput[]): number[] {
  return [
    ...new Set(inputs.filter((i) => i.type === 'reward' && !i.eligible).map((i) => i.memberId)),
  ];
}

/** The lot a credit with points opens. */
export function lotOf(input: CreditInput, expiresAt: Date | null, at: Date): LotRow {
  return {
    memberId: input.memberId,
    points: input.points,
    sourceType: input.sourceType,
    sourceRef: input.sourceRef ?? null,
    key: input.key,
    expiresAt,
    at,
  };
}

/**
 * Credits many inputs set-based, in the caller's transaction: one multi-row upsert of the accounts (answering their
 * values after), one insert of the lots, one of the entries and one of the `points.changed` events. Each entry's
 * balance after is the member's balance after the batch less what that member's later inputs added, so the rows are
 * those of crediting the inputs one by one in order. What a member owes is paid after their last credit of the
 * batch (a member credited once per batch, as check-ins are, gets exactly what `credit` would book).
 */
export async function creditSetBased(
  ledger: PointsLedgerRepository,
  tx: Tx,
  inputs: CreditInput[],
  expiries: (Date | null)[],
  payOwed: (after: AccountAfter, input: CreditInput, at: Date) => Promise<void>,
): Promise<PointsEntry[]> {
  for (const i of inputs)
    if (!Number.isInteger(i.points) || i.points < 0)
      throw new Error(`credit of ${i.points} points`);
  const ats = inputs.map((i) => i.at ?? new Date());
  const finals = await ledger.creditMany(
    tx,
    inputs.map((i) => ({ memberId: i.memberId, points: i.points, growth: i.growth ?? 0 })),
  );
  const running = new Map([...finals].map(([m, a]) => [m, { ...a }]));
  const afters: AccountAfter[] = [];
  for (let k = inputs.length - 1; k >= 0; k--) {
    const input = inputs[k]!;
    const now = running.get(input.memberId)!;
    afters[k] = { ...now };
    now.balance -= input.points;
    now.growth -= input.growth ?? 0;
  }
  await ledger.insertLots(
    tx,
    inputs.flatMap((i, k) => (i.points > 0 ? [lotOf(i, expiries[k]!, ats[k]!)] : [])),
  );
  const entries = await ledger.writeEntries(
    tx,
    inputs.map((i, k) => ({
      source: i,
      type: i.type,
      points: i.points,
      growth: i.growth ?? 0,
      expiresAt: i.points > 0 ? expiries[k]! : null,
      breakdown: i.breakdown ?? null,
      at: ats[k]!,
      after: afters[k]!,
    })),
  );
  const lastOf = new Map<number, number>();
  inputs.forEach((i, k) => lastOf.set(i.memberId, k));
  for (const [memberId, k] of lastOf) {
    const after = finals.get(memberId)!;
    if (after.owed > 0) await payOwed(after, inputs[k]!, ats[k]!);
  }
  return entries;
}
