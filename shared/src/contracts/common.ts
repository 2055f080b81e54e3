import { z } from 'zod';

/** Positive integer ids in paths arrive as strings. */
export const idParam = z.strictObject({
  id: z.coerce.number().int().positive().max(2_147_483_647),
});

/** A brand-local calendar date, YYYY-MM-DD. */
export const isoDate = z.iso.date();

export const cursorQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
};

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const okResponse = z.object({ ok: z.literal(true) });
