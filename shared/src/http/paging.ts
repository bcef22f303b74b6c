import * as z from 'zod';

/** The query of every cursor-paginated list: `limit`, and the `cursor` a previous page returned. */
export const pageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(500).optional(),
  })
  .strict();

/** A page of items, with the cursor of the next page while there is one. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() });
