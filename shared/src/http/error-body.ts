import * as z from 'zod';

/** The one error shape of the API: `{ error: { code, message, details? } }`. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'validation_failed' }),
      message: z.string().meta({ example: 'body.name: expected string, received number' }),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Where a request problem is: `body.items[0].quantity`, `query.limit`, `path.store`. */
export type FieldIssue = { path: string; message: string; code: string };
