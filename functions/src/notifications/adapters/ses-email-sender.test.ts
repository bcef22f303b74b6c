import type { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { emailTags, SesEmailSender } from './ses-email-sender.ts';

/** Records the commands it is given (the request shape against the real SDK is tested with the local outbox). */
function recordingClient() {
  const sent: SendEmailCommand[] = [];
  const client = { send: async (command: SendEmailCommand) => void sent.push(command) };
  return { client: client as unknown as SESv2Client, sent };
}

describe('SesEmailSender', () => {
  it('sends simple UTF-8 content from the configured sender, HTML only when given', async () => {
    const { client, sent } = recordingClient();
    const sender = new SesEmailSender(client, 'Nimbus <no-reply@example.com>');
    await sender.send({ to: 'ada@example.com', subject: 'Hi', text: 'Hello' });
    expect(sent[0]?.input).toEqual({
      FromEmailAddress: 'Nimbus <no-reply@example.com>',
      Destination: { ToAddresses: ['ada@example.com'] },
      Content: {
        Simple: {
          Subject: { Data: 'Hi', Charset: 'UTF-8' },
          Body: { Text: { Data: 'Hello', Charset: 'UTF-8' } },
        },
      },
      EmailTags: undefined,
    });
    await sender.send({ to: 'ada@example.com', subject: 'Hi', text: 'Hello', html: '<p>Hello</p>' });
    expect(sent[1]?.input.Content?.Simple?.Body?.Html).toEqual({ Data: '<p>Hello</p>', Charset: 'UTF-8' });
  });
});

describe('emailTags', () => {
  it('turns tenantId and tags into SES message tags, replacing characters SES does not allow', () => {
    expect(
      emailTags({
        to: 'a@example.com',
        subject: 's',
        text: 't',
        tenantId: 'ten_01',
        tags: { kind: 'verify-email', 'store slug': 'demo.shop' },
      }),
    ).toEqual([
      { Name: 'kind', Value: 'verify-email' },
      { Name: 'store_slug', Value: 'demo_shop' },
      { Name: 'tenant', Value: 'ten_01' },
    ]);
    expect(emailTags({ to: 'a@example.com', subject: 's', text: 't', tags: { empty: '' } })).toEqual([
      { Name: 'empty', Value: '_' },
    ]);
  });
});
