/** How a store bills: what a credit costs, how much runway an order needs, grace and retention. */
import * as z from 'zod';
import { CurrencyCode, DecimalString } from '../catalog/money.ts';

const PositiveDecimal = DecimalString.refine((value) => Number(value) > 0, 'must be more than zero');

export const BillingSettings = z
  .object({
    /** What one credit costs, per currency: `{ EUR: '1.00' }`. A wallet exists per currency listed. */
    creditPrices: z.partialRecord(CurrencyCode, PositiveDecimal),
    /** A credits order needs the setup fees plus this many hours at the ordered rate. */
    minimumRunwayHours: z.number().int().min(0).max(2_160).default(24),
    /** Below this runway the buyer is warned (event credits.low, a reminder by email). */
    lowBalanceRunwayHours: z.number().int().min(0).max(2_160).default(72),
    /** After the credits run out, services keep running this long before they are suspended. */
    graceHours: z.number().int().min(0).max(720).default(24),
    /** Suspended services are terminated after this many days. */
    retentionDays: z.number().int().min(1).max(365).default(30),
  })
  .strict()
  .meta({ id: 'BillingSettings' });
export type BillingSettings = z.infer<typeof BillingSettings>;

export const DEFAULT_BILLING_SETTINGS: BillingSettings = {
  creditPrices: { EUR: '1.00', USD: '1.00', GBP: '1.00', CHF: '1.00' },
  minimumRunwayHours: 24,
  lowBalanceRunwayHours: 72,
  graceHours: 24,
  retentionDays: 30,
};

export const TestClockView = z
  .object({
    /** Sandbox stores (the demo store, every store on the local runtime) have a test clock. */
    sandbox: z.boolean(),
    /** The store's time now. */
    now: z.iso.datetime(),
    /** How far the store's clock is ahead of real time. */
    aheadMs: z.number().int(),
    /** `advancing` while the schedules in between run; the clock then stands at `advancingTo`'s way. */
    status: z.enum(['ready', 'advancing']),
    advancingTo: z.iso.datetime().optional(),
  })
  .strict()
  .meta({ id: 'TestClock' });
export type TestClockView = z.infer<typeof TestClockView>;

export const AdvanceClockRequest = z
  .union([
    z.object({ to: z.iso.datetime({ offset: true }) }).strict(),
    z
      .object({
        /** An ISO 8601 duration in weeks, days, hours, minutes, seconds: `P30D`, `PT1H`. */
        by: z
          .string()
          .regex(
            /^P(?:\d+W)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,3})?S)?)?$/,
            'an ISO 8601 duration like "P30D" or "PT6H"',
          ),
      })
      .strict(),
  ])
  .meta({ id: 'AdvanceClockRequest' });
export type AdvanceClockRequest = z.infer<typeof AdvanceClockRequest>;
