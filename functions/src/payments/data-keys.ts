/**
 * Where the data keys that seal payment keys come from: `PAYMENTS_DATA_KEYS` (the key ring as
 * JSON; the local runtime makes one per data folder) or, on AWS, the Secrets Manager secret named
 * by `PAYMENTS_DATA_KEYS_SECRET_ARN` (created by the stack, read once per instance).
 */
import { DataKeyRing, SecretBox } from './secret-box.ts';

export const DATA_KEYS_ENV = 'PAYMENTS_DATA_KEYS';
export const DATA_KEYS_SECRET_ENV = 'PAYMENTS_DATA_KEYS_SECRET_ARN';

let loading: Promise<SecretBox | undefined> | undefined;

async function load(): Promise<SecretBox | undefined> {
  const inline = process.env[DATA_KEYS_ENV];
  if (inline) return new SecretBox(DataKeyRing.parse(JSON.parse(inline)));
  const secretArn = process.env[DATA_KEYS_SECRET_ENV];
  if (!secretArn) return undefined;
  // Loaded only on AWS: the runtime ships the SDK, and local runs never need the client.
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({});
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    if (!SecretString) throw new Error(`${secretArn} holds no string`);
    return new SecretBox(DataKeyRing.parse(JSON.parse(SecretString)));
  } finally {
    client.destroy();
  }
}

/** The instance's SecretBox, or undefined when this deployment has no data keys. */
export function dataKeys(): Promise<SecretBox | undefined> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined; // a failed read is tried again by the next request
    throw error;
  });
  return loading;
}
