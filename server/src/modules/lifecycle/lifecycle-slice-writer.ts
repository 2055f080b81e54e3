/**
 * Applies one member-id slice of the recompute's scratch decisions, set-based: the transitions and the events first,
 * then the member rows and the lifecycle rows.
 */
import { type EntityManager } from 'typeorm';
import { affectedRows } from '../../infra/database/bulk.js';
import type { EventBus } from '../../infra/events/event-bus.js';
import { updateFrom, type Dialect } from './lifecycle-sql.js';
import { nullSafeEquals } from '../../infra/database/dialect.js';

export interface Slice {
  /** Member ids from `lo` through `hi`. */
  lo: number;
  hi: number;
  day: string;
  at: Date;
  /** The recompute's event batch (EventBus.newBatch), drained by it once every slice is written. */
  batch: string;
}

/** Flags and scores the recompute decides, copied from the scratch onto member_lifecycle. */
const DECIDED_COLUMNS = ['r', 'f', 'm', 'segment', 'low_frequency', 'at_risk'];

/**
 * Applies one slice of the scratch decisions. A member whose stage or aggregates changed since the scratch was
 * computed (a purchase came in) is left alone: the refresh that changed it decided with fresher facts.
 */
export async function writeSlice(
  em: EntityManager,
  kind: Dialect,
  bus: EventBus,
  slice: Slice,
): Promise<{ transitions: number; atRisk: number }> {
  const current = `s.member_id BETWEEN ${slice.lo} AND ${slice.hi} AND COALESCE(ml.version, -1) = s.version`;
  const atIso = slice.at.toISOString();
  await recordMoves(em, bus, current, slice, atIso);
  const atRisk = await recordNewlyAtRisk(em, bus, current, slice, atIso);
  const movedCount = await applyStages(em, kind, slice);
  await applyDecidedColumns(em, kind, slice);
  return { transitions: movedCount, atRisk };
}

/** The transitions and `member.stage_changed` events of the members whose stage moves. */
async function recordMoves(
  em: EntityManager,
  bus: EventBus,
  current: string,
  { day, batch }: Slice,
  atIso: string,
): Promise<void> {
  const moved = `FROM lifecycle_scratch s JOIN member m ON m.id = s.member_id
      LEFT JOIN member_lifecycle ml ON ml.member_id = s.member_id
      WHERE ${current} AND s.stage_new <> s.stage_old AND m.stage = s.stage_old`;
  await em.query(
    `INSERT INTO lifecycle_transition (member_id, from_stage, to_stage, day, cause)
     SELECT s.member_id, s.stage_old, s.stage_new, ?, 'recompute' ${moved}`,
    [day],
  );
  await bus.publishSelect(
    em,
    'member.stage_changed',
    {
      memberId: { sql: 's.member_id' },
      from: { sql: 's.stage_old' },
      to: { sql: 's.stage_new' },
      day,
      cause: 'recompute',
      at: atIso,
    },
    { from: moved, batch },
  );
}

/** The `member.at_risk` events of the members newly at risk; answers how many there are. */
async function recordNewlyAtRisk(
  em: EntityManager,
  bus: EventBus,
  current: string,
  { day, batch }: Slice,
  atIso: string,
): Promise<number> {
  const risky = `FROM lifecycle_scratch s JOIN member_lifecycle ml ON ml.member_id = s.member_id
      WHERE ${current} AND s.at_risk = 1 AND ml.at_risk = 0`;
  const [{ n: atRisk }] = (await em.query(`SELECT COUNT(*) AS n ${risky}`)) as [{ n: number }];
  await bus.publishSelect(
    em,
    'member.at_risk',
    { memberId: { sql: 's.member_id' }, stage: { sql: 's.stage_new' }, day, at: atIso },
    { from: risky, batch },
  );
  return Number(atRisk);
}

/** The new stages on the member rows still at the old stage; answers how many moved. */
function applyStages(em: EntityManager, kind: Dialect, slice: Slice): Promise<number> {
  return affectedRows(
    em,
    updateFrom(
      kind,
      'member',
      'lifecycle_scratch',
      's.member_id = t.id',
      't.stage = s.stage_new',
      `s.member_id BETWEEN ${slice.lo} AND ${slice.hi} AND s.stage_new <> s.stage_old AND t.stage = s.stage_old
        AND s.version = COALESCE((SELECT version FROM member_lifecycle v WHERE v.member_id = s.member_id), -1)`,
    ),
  );
}

/** The new scores and flags on the lifecycle rows whose aggregates have not changed since the decision. */
async function applyDecidedColumns(em: EntityManager, kind: Dialect, slice: Slice): Promise<void> {
  const same = (c: string) => nullSafeEquals(kind, `t.${c}`, `s.${c}`);
  await em.query(
    updateFrom(
      kind,
      'member_lifecycle',
      'lifecycle_scratch',
      's.member_id = t.member_id',
      DECIDED_COLUMNS.map((c) => `t.${c} = s.${c}`).join(', '),
      `s.member_id BETWEEN ${slice.lo} AND ${slice.hi} AND t.version = s.version
        AND NOT (${DECIDED_COLUMNS.map(same).join(' AND ')})`,
    ),
  );
}
