/**
 * Provisioning connectors: where Nimbus sends a store's lifecycle webhooks (activate, start, stop,
 * resize, suspend, resume, terminate) and how it signs them. A connector serves one product, or
 * is the store's default for products without their own. Its signing secret is a Standard
 * Webhooks secret (`whsec_…`), shown once when made and never again (docs/provisioning.md).
 */
import * as z from 'zod';
import { ProductId } from '../catalog/catalog.ts';

/** The lifecycle steps a platform may take part in (each sends one webhook). */
export const LIFECYCLE_EVENTS = [
  'activate',
  'start',
  'stop',
  'resize',
  'suspend',
  'resume',
  'terminate',
] as const;
export const LifecycleEvent = z.enum(LIFECYCLE_EVENTS).meta({ id: 'LifecycleEvent' });
export type LifecycleEvent = z.infer<typeof LifecycleEvent>;

export const ConnectorId = z
  .string()
  .regex(/^con_[0-9a-z]{1,60}$/, 'must be a con_… id')
  .meta({ example: 'con_01jd2x8k3m4n5p6q7r8s9t0v1w' });

/** Plain http is for a platform on this machine (the reference platform, local runs) only. */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Why `url` cannot be a connector endpoint, or undefined when it can. */
export function endpointUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL: give an absolute https:// URL';
  }
  if (parsed.username || parsed.password) {
    return 'must not carry credentials: the signature authenticates Nimbus to the platform';
  }
  if (parsed.hash) return 'must not have a #fragment';
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && LOCAL_HOSTS.has(parsed.hostname)) return undefined;
  if (parsed.protocol === 'http:') {
    return 'must use https (plain http only for localhost or 127.0.0.1)';
  }
  return `must use https, not ${parsed.protocol.replace(/:$/, '')}`;
}

export const EndpointUrl = z
  .string()
  .max(2_048)
  .superRefine((url, context) => {
    const problem = endpointUrlProblem(url);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  })
  .meta({ example: 'https://platform.example.com/nimbus/webhooks' });

/** How long an activation may wait for the platform's confirmation before the order item fails. */
export const DEFAULT_TIMEOUT_SECONDS = 3_600;
export const MIN_TIMEOUT_SECONDS = 10;
export const MAX_TIMEOUT_SECONDS = 7 * 24 * 3_600;

/** How long the previous secret stays valid after a rotation, unless the request says otherwise. */
export const DEFAULT_KEEP_PREVIOUS_HOURS = 24;
export const MAX_KEEP_PREVIOUS_HOURS = 168;

export const UpsertConnectorRequest = z
  .object({
    /** The product this connector serves; without it, the store's default connector. */
    productId: ProductId.optional(),
    url: EndpointUrl,
    /** The lifecycle steps sent to this platform; the others happen in Nimbus alone. */
    events: z
      .array(LifecycleEvent)
      .min(1, 'name at least one lifecycle event')
      .refine((events) => new Set(events).size === events.length, 'each event once'),
    /** Seconds an activation waits for the platform's confirmation before it fails (and refunds). */
    timeoutSeconds: z
      .number()
      .int()
      .min(MIN_TIMEOUT_SECONDS)
      .max(MAX_TIMEOUT_SECONDS)
      .default(DEFAULT_TIMEOUT_SECONDS),
    /** A disabled connector sends nothing: its product's services run without a platform. */
    enabled: z.boolean().default(true),
    /** The revision the change was made on: a 409 when someone changed the connector since. */
    expectedRevision: z.number().int().positive().optional(),
  })
  .strict()
  .meta({ id: 'UpsertConnectorRequest' });
export type UpsertConnectorRequest = z.infer<typeof UpsertConnectorRequest>;

export const RotateConnectorSecretRequest = z
  .object({
    /** Hours the previous secret still signs (beside the new one); 0 ends it at once. */
    keepPreviousHours: z
      .number()
      .int()
      .min(0)
      .max(MAX_KEEP_PREVIOUS_HOURS)
      .default(DEFAULT_KEEP_PREVIOUS_HOURS),
  })
  .strict()
  .meta({ id: 'RotateConnectorSecretRequest' });
export type RotateConnectorSecretRequest = z.infer<typeof RotateConnectorSecretRequest>;

/** A connector as staff see it: never its secret. */
export const ConnectorView = z
  .object({
    id: ConnectorId,
    /** Absent for the store's default connector. */
    productId: ProductId.optional(),
    url: z.string(),
    events: z.array(LifecycleEvent),
    timeoutSeconds: z.number().int(),
    enabled: z.boolean(),
    /** The last 4 characters of the current signing secret, to tell secrets apart. */
    secretLast4: z.string(),
    /** While set, deliveries carry a second signature made with the previous secret, until then. */
    previousSecretExpiresAt: z.iso.datetime().optional(),
    revision: z.number().int().positive(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .strict()
  .meta({ id: 'Connector' });
export type ConnectorView = z.infer<typeof ConnectorView>;

/** A connector with its new signing secret: the only time the secret is shown. */
export const ConnectorWithSecret = ConnectorView.extend({
  /** The signing secret (`whsec_…`): store it in the platform now, it is not shown again. */
  secret: z.string().regex(/^whsec_[A-Za-z0-9+/=]+$/),
})
  .strict()
  .meta({ id: 'ConnectorWithSecret' });
export type ConnectorWithSecret = z.infer<typeof ConnectorWithSecret>;

export const ConnectorList = z
  .object({ items: z.array(ConnectorView) })
  .strict()
  .meta({ id: 'ConnectorList' });
