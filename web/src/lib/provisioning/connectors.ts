/**
 * Connectors for people: the console's connector form (text fields checked here, then turned into
 * the API's body; field keys are the API's paths, so a 400 lands beside the same field), the
 * lifecycle steps in words, scopes and timeouts.
 */
import { sentence } from '#lib/api/field-errors.ts';
import type { ConnectorView, LifecycleEvent, UpsertConnectorRequest } from '#lib/api/provisioning.ts';
import {
  DEFAULT_KEEP_PREVIOUS_HOURS,
  DEFAULT_TIMEOUT_SECONDS,
  endpointUrlProblem,
  LIFECYCLE_EVENTS,
  MAX_KEEP_PREVIOUS_HOURS,
  MAX_TIMEOUT_SECONDS,
  MIN_TIMEOUT_SECONDS,
} from '#shared/provisioning/connector.ts';

export { DEFAULT_KEEP_PREVIOUS_HOURS, LIFECYCLE_EVENTS, MAX_KEEP_PREVIOUS_HOURS };

/** Each step as the merchant reads it: when Nimbus sends it. */
export const LIFECYCLE_WORDS: Record<LifecycleEvent, { word: string; when: string }> = {
  activate: { word: 'Activate', when: 'a service was ordered' },
  start: { word: 'Start', when: 'the buyer starts a stopped service' },
  stop: { word: 'Stop', when: 'the buyer stops it' },
  resize: { word: 'Resize', when: 'its capacity changes' },
  suspend: { word: 'Suspend', when: 'credits ran out or an invoice is overdue' },
  resume: { word: 'Resume', when: 'a suspended service may run again' },
  terminate: { word: 'Terminate', when: 'it ends' },
};

export type ConnectorForm = {
  /** '' for the store's default connector. */
  productId: string;
  url: string;
  events: LifecycleEvent[];
  /** Minutes, as typed. */
  timeoutMinutes: string;
  enabled: boolean;
};

export type ConnectorField = 'productId' | 'url' | 'events' | 'timeoutSeconds' | 'enabled';

export const CONNECTOR_FIELDS: readonly ConnectorField[] = [
  'productId',
  'url',
  'events',
  'timeoutSeconds',
  'enabled',
];

export const CONNECTOR_FIELD_LABELS: Record<ConnectorField, string> = {
  productId: 'Serves',
  url: 'Endpoint URL',
  events: 'Lifecycle steps',
  timeoutSeconds: 'Activation timeout',
  enabled: 'Enabled',
};

export function emptyConnectorForm(productId = ''): ConnectorForm {
  return {
    productId,
    url: '',
    events: [...LIFECYCLE_EVENTS],
    timeoutMinutes: String(DEFAULT_TIMEOUT_SECONDS / 60),
    enabled: true,
  };
}

export function connectorFormOf(connector: ConnectorView): ConnectorForm {
  return {
    productId: connector.productId ?? '',
    url: connector.url,
    // In the order of the lifecycle, whatever order they were saved in.
    events: LIFECYCLE_EVENTS.filter((event) => connector.events.includes(event)),
    timeoutMinutes: String(Math.round((connector.timeoutSeconds / 60) * 100) / 100),
    enabled: connector.enabled,
  };
}

export type CheckedConnector =
  | { body: UpsertConnectorRequest; errors?: undefined }
  | { errors: Map<ConnectorField, string>; body?: undefined };

/** The form as the API's body, or what is wrong with it (nothing is sent then). */
export function checkConnector(form: ConnectorForm, expectedRevision?: number): CheckedConnector {
  const errors = new Map<ConnectorField, string>();
  const url = form.url.trim();
  const urlProblem =
    url === '' ? 'Enter the URL the platform receives webhooks at.' : endpointUrlProblem(url);
  if (urlProblem) errors.set('url', sentence(urlProblem));
  if (form.events.length === 0) errors.set('events', 'Choose at least one lifecycle step.');
  const minutes = Number(form.timeoutMinutes.trim().replace(',', '.'));
  const seconds = Math.round(minutes * 60);
  if (form.timeoutMinutes.trim() === '' || !Number.isFinite(minutes)) {
    errors.set('timeoutSeconds', 'Enter the minutes an activation may take, e.g. 60.');
  } else if (seconds < MIN_TIMEOUT_SECONDS || seconds > MAX_TIMEOUT_SECONDS) {
    errors.set(
      'timeoutSeconds',
      `Between ${MIN_TIMEOUT_SECONDS / 60} minutes (${MIN_TIMEOUT_SECONDS} seconds) and ${MAX_TIMEOUT_SECONDS / 86_400} days (${MAX_TIMEOUT_SECONDS / 60} minutes).`,
    );
  }
  if (errors.size > 0) return { errors };
  return {
    body: {
      ...(form.productId ? { productId: form.productId } : {}),
      url,
      events: LIFECYCLE_EVENTS.filter((event) => form.events.includes(event)),
      timeoutSeconds: seconds,
      enabled: form.enabled,
      ...(expectedRevision ? { expectedRevision } : {}),
    },
  };
}

/** Why a typed rotation window cannot be sent, or the hours. */
export function checkKeepHours(text: string): { hours: number; error?: undefined } | { error: string } {
  const value = text.trim();
  const hours = Number(value);
  if (value === '' || !Number.isInteger(hours) || hours < 0 || hours > MAX_KEEP_PREVIOUS_HOURS) {
    return {
      error: `Whole hours from 0 (the old secret stops at once) to ${MAX_KEEP_PREVIOUS_HOURS} (a week).`,
    };
  }
  return { hours };
}

/** "60 minutes", "2 hours", "1 day 6 hours". */
export function formatTimeout(seconds: number): string {
  if (seconds < 3_600) {
    const minutes = Math.round(seconds / 6) / 10;
    return minutes === 1 ? '1 minute' : `${minutes} minutes`;
  }
  const days = Math.floor(seconds / 86_400);
  const hours = Math.round((seconds % 86_400) / 360) / 10;
  const parts = [
    days ? `${days} ${days === 1 ? 'day' : 'days'}` : '',
    hours ? `${hours} ${hours === 1 ? 'hour' : 'hours'}` : '',
  ].filter(Boolean);
  return parts.join(' ');
}

/** Every step, or the ones chosen in words: "All 7 steps", "Activate, Stop, Terminate". */
export function eventsPhrase(events: readonly LifecycleEvent[]): string {
  if (LIFECYCLE_EVENTS.every((event) => events.includes(event)))
    return `All ${LIFECYCLE_EVENTS.length} steps`;
  return LIFECYCLE_EVENTS.filter((event) => events.includes(event))
    .map((event) => LIFECYCLE_WORDS[event].word)
    .join(', ');
}

/** The store default first, then the products' connectors by product name. */
export function sortConnectors(
  connectors: readonly ConnectorView[],
  productName: (id: string) => string,
): ConnectorView[] {
  return [...connectors].sort((a, b) => {
    if (!a.productId) return -1;
    if (!b.productId) return 1;
    return productName(a.productId).localeCompare(productName(b.productId));
  });
}
