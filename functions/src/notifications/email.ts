/**
 * The email port. Contexts that send mail (sign-up verification, password reset, receipts,
 * low-credit reminders) depend on this interface only; on AWS the adapter is SES
 * (adapters/ses-email-sender.ts), locally the same adapter talks to the runtime's outbox.
 */

/** One plain message to one recipient, from the deployment's sender address (EMAIL_FROM). */
export type EmailMessage = {
  /** Recipient address, e.g. `ada@example.com` or `Ada Lovelace <ada@example.com>`. */
  to: string;
  subject: string;
  /** Plain-text body; always sent, so every client can read the message. */
  text: string;
  /** Optional HTML alternative of `text`. */
  html?: string;
  /** The tenant the message is sent for (recorded as a tag, for tracing and per-tenant metrics). */
  tenantId?: string;
  /** Free-form tags (e.g. `{ kind: 'verify-email' }`), recorded with the message. */
  tags?: Record<string, string>;
};

export interface EmailSender {
  /** Hands the message over for delivery; resolves once accepted, rejects if it was refused. */
  send(message: EmailMessage): Promise<void>;
}
