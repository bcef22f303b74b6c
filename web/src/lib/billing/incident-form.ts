/**
 * The console's incident form: a title, the affected products and/or a region, and when the outage
 * began and ended (typed in the browser's local time, sent as UTC). Checked here with messages that
 * say what to type; the API checks again (the end must not be after the store's time).
 */
import type { IncidentRequest } from '#lib/api/incidents.ts';

export type IncidentField = 'title' | 'products' | 'region' | 'start' | 'end';

export type IncidentForm = {
  title: string;
  /** Product ids (`prd_…`). */
  products: string[];
  /** A region key, or '' for none. */
  region: string;
  /** `YYYY-MM-DDTHH:mm:ss` in local time (an `<input type="datetime-local" step="1">`). */
  start: string;
  end: string;
};

const pad = (value: number) => String(value).padStart(2, '0');

/** A moment as a `datetime-local` value, in the browser's time zone, to the second. */
export function localInputValue(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** A `datetime-local` value (local time) as ISO 8601 UTC, or undefined when it is not a moment. */
export function fromLocalInput(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value.trim())) return undefined;
  const time = new Date(value.trim()).getTime();
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/**
 * The last hour, ending now to the second (an outage just over; seconds count, as monitoring
 * measures them, and never after now: the API refuses an end ahead of the store's time).
 */
export function lastHour(now: Date = new Date()): Pick<IncidentForm, 'start' | 'end'> {
  return { start: localInputValue(new Date(now.getTime() - 3_600_000)), end: localInputValue(now) };
}

/**
 * The request the form says, or what to fix field by field.
 *
 * @example checkIncident({ title: 'DC', products: [], region: '', … }).errors // { title: …, products: … }
 */
export function checkIncident(
  form: IncidentForm,
  now: Date = new Date(),
):
  | { request: IncidentRequest; errors?: undefined }
  | { request?: undefined; errors: Partial<Record<IncidentField, string>> } {
  const errors: Partial<Record<IncidentField, string>> = {};
  const title = form.title.trim();
  if (title.length < 3)
    errors.title = 'Say what happened (at least 3 characters): buyers see it with their credit.';
  else if (title.length > 200) errors.title = 'Keep it to 200 characters.';
  const region = form.region.trim();
  if (form.products.length === 0 && region === '') {
    errors.products = 'Choose the affected products, a region, or both.';
  }
  const start = fromLocalInput(form.start);
  const end = fromLocalInput(form.end);
  if (!start) errors.start = 'Enter when the outage began.';
  if (!end) errors.end = 'Enter when it was over.';
  else if (Date.parse(end) > now.getTime())
    errors.end = 'The end cannot be in the future: record it once it is over.';
  else if (start && Date.parse(end) <= Date.parse(start)) errors.end = 'The end must be after the start.';
  if (Object.keys(errors).length > 0) return { errors };
  return {
    request: {
      title,
      ...(form.products.length ? { products: [...form.products] } : {}),
      ...(region ? { region } : {}),
      start: start as string,
      end: end as string,
    },
  };
}

/** "1 hour, 5 minutes": how long an outage lasted. */
export function outageLength(start: string, end: string): string {
  const minutes = Math.max(0, Math.round((Date.parse(end) - Date.parse(start)) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts = [
    days ? `${days} ${days === 1 ? 'day' : 'days'}` : '',
    hours ? `${hours} ${hours === 1 ? 'hour' : 'hours'}` : '',
    rest ? `${rest} ${rest === 1 ? 'minute' : 'minutes'}` : '',
  ].filter(Boolean);
  return parts.join(', ') || 'less than a minute';
}

/** The regions products are in (their `region` attribute), sorted, for the form's choice. */
export function productRegions(
  products: readonly { attributes?: Record<string, unknown> | undefined }[],
): string[] {
  const regions = new Set<string>();
  for (const product of products) {
    const region = product.attributes?.region;
    if (typeof region === 'string' && region) regions.add(region);
  }
  return [...regions].sort();
}
