// Type-only at the top: the SDK itself is imported on the first mail (see emailSender), so
// functions that share this code but never send mail do not load it at cold start.
import type { MessageTag, SESv2Client } from '@aws-sdk/client-sesv2';
import { requiredEnv } from '../../aws/environment.ts';
import type { EmailMessage, EmailSender } from '../email.ts';

const CHARSET = 'UTF-8';

/**
 * Sends through SES (API v2, SendEmail with simple content). Locally AWS_ENDPOINT_URL_SESV2 points
 * the same client at the runtime's outbox (infra/local/email-outbox.ts).
 */
export class SesEmailSender implements EmailSender {
  constructor(
    private readonly client: SESv2Client,
    /** The verified sending identity, e.g. `Nimbus <no-reply@example.com>`. */
    private readonly from: string,
  ) {}

  async send(message: EmailMessage): Promise<void> {
    const { SendEmailCommand } = await import('@aws-sdk/client-sesv2');
    await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [message.to] },
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: CHARSET },
            Body: {
              Text: { Data: message.text, Charset: CHARSET },
              ...(message.html === undefined ? {} : { Html: { Data: message.html, Charset: CHARSET } }),
            },
          },
        },
        EmailTags: emailTags(message),
      }),
    );
  }
}

/**
 * SES message tags: names and values may only hold ASCII letters, digits, `_` and `-` (256 at most),
 * so anything else becomes `_`. `tenantId` is the `tenant` tag.
 */
export function emailTags(message: EmailMessage): MessageTag[] | undefined {
  const tags = { ...message.tags, ...(message.tenantId ? { tenant: message.tenantId } : {}) };
  const entries = Object.entries(tags).map(([name, value]) => ({
    Name: tagText(name),
    Value: tagText(value),
  }));
  return entries.length > 0 ? entries : undefined;
}

function tagText(text: string): string {
  return (text.replace(/[^A-Za-z0-9_-]/g, '_') || '_').slice(0, 256);
}

let defaultSender: EmailSender | undefined;

/** The sender handlers use: SES, from EMAIL_FROM (set by the CDK app and by the local runtime). */
export function emailSender(): EmailSender {
  let sender: SesEmailSender | undefined;
  defaultSender ??= {
    async send(message) {
      if (!sender) {
        const { SESv2Client } = await import('@aws-sdk/client-sesv2');
        sender = new SesEmailSender(new SESv2Client({}), requiredEnv('EMAIL_FROM'));
      }
      await sender.send(message);
    },
  };
  return defaultSender;
}
