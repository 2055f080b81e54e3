import { z } from 'zod';

/**
 * Ids are INT columns (docs/ARCHITECTURE.md, "Database"): a positive integer up to 2^31 − 1. Every id the API
 * takes goes through one of these, so an id past the column's range is a 400, never a database error.
 */
export const MAX_ID = 2_147_483_647;
/** An id in a JSON body. */
export const dbId = z.number().int().positive().max(MAX_ID);
/** An id in a path or a query string (arrives as a string). */
export const dbIdText = z.coerce.number().int().positive().max(MAX_ID);

/** Positive integer ids in paths arrive as strings. */
export const idParam = z.strictObject({ id: dbIdText });

/** A list's cursor: the id of the last row of the page before (digits only, within the id range). */
export const idCursor = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, '分页位置无效')
  .refine((v) => Number(v) <= MAX_ID, '分页位置无效');

/** A brand-local calendar date, YYYY-MM-DD. */
export const isoDate = z.iso.date();

export const cursorQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: idCursor.optional(),
};

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const okResponse = z.object({ ok: z.literal(true) });
