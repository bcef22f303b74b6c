/**
 * Low-balance and exhausted-credit emails: the ledger publishes `credits.low` (the runway first
 * drops under the store's threshold, then daily while it stays low) and `credits.exhausted`
 * (the balance reached zero, the grace period starts); each member of the customer account who
 * may see its finances gets one email per event. Events come at least once: a notice already
 * sent for (event, user) is not sent again.
 */
import * as z from 'zod';
import type { EventEnvelope } from '#shared/events/envelope.ts';
import type { Tenant } from '#shared/tenants/tenant.ts';
import type { User } from '../identity/model.ts';
import type { EmailMessage, EmailSender } from '../notifications/email.ts';

export const CreditNoticeData = z.object({
  customerId: z.string().min(1),
  currency: z.string().min(3),
  balance: z.string(),
  runwayHours: z.number().optional(),
  graceEndsAt: z.string().optional(),
});

export type CreditNoticeDeps = {
  tenant(tenantId: string): Promise<Tenant | undefined>;
  /** The users of a customer account. */
  members(tenantId: string, customerId: string): Promise<User[]>;
  email: EmailSender;
  /** Whether the notice for this key went out already; and noting that it did. */
  notices: {
    sent(tenantId: string, key: string): Promise<boolean>;
    markSent(tenantId: string, key: string): Promise<void>;
  };
  publicUrl: string;
};

/** Who hears about credits: active members allowed to see the account's finances. */
const recipients = (members: User[]) =>
  members.filter(
    (user) =>
      user.kind === 'buyer' && user.status === 'active' && (user.permissions ?? []).includes('finance:view'),
  );

export function creditNoticeEmail(
  publicUrl: string,
  tenant: Tenant,
  to: string,
  type: 'credits.low' | 'credits.exhausted',
  data: z.infer<typeof CreditNoticeData>,
): EmailMessage {
  const wallet = `${publicUrl.replace(/\/$/, '')}/stores/${tenant.slug}/wallet`;
  const tags = { kind: type };
  if (type === 'credits.exhausted') {
    const until = data.graceEndsAt ? ` until ${data.graceEndsAt.slice(0, 16).replace('T', ' ')} UTC` : '';
    return {
      to,
      tenantId: tenant.id,
      tags,
      subject: `Your ${tenant.name} credits have run out`,
      text:
        `Your ${data.currency} credits at ${tenant.name} have run out.\n\n` +
        `Your services keep running${until}; then they are suspended until credits arrive. ` +
        `Usage in the meantime is taken from your next credits.\n\nTop up here:\n${wallet}`,
    };
  }
  const runway =
    data.runwayHours !== undefined ? ` — about ${data.runwayHours} hours at the current usage` : '';
  return {
    to,
    tenantId: tenant.id,
    tags,
    subject: `Your ${tenant.name} credits are running low`,
    text:
      `Your ${data.currency} wallet at ${tenant.name} holds ${data.balance} credits${runway}.\n\n` +
      `When the credits run out, your services are suspended after a grace period. Top up here:\n${wallet}`,
  };
}

/** Sends the emails an event calls for; returns how many went out now. */
export async function sendCreditNotice(deps: CreditNoticeDeps, event: EventEnvelope): Promise<number> {
  if (event.type !== 'credits.low' && event.type !== 'credits.exhausted') return 0;
  const data = CreditNoticeData.parse(event.data);
  const tenant = await deps.tenant(event.tenant);
  if (!tenant) return 0;
  let sent = 0;
  for (const user of recipients(await deps.members(tenant.id, data.customerId))) {
    const key = `${event.id}#${user.id}`;
    if (await deps.notices.sent(tenant.id, key)) continue;
    await deps.email.send(creditNoticeEmail(deps.publicUrl, tenant, user.email, event.type, data));
    // Noted after sending: a crash in between sends it twice rather than never.
    await deps.notices.markSent(tenant.id, key);
    sent++;
  }
  return sent;
}
