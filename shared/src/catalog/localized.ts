/**
 * Picking a language from a text kept in several. Free of zod, so web pages that only show names
 * import it without the schemas.
 */

/** Text in several languages, by language tag (`{ en: 'Servers', de: 'Server' }`). */
export type LocalizedText = Record<string, string>;

/**
 * The text for a language, falling back to its base language, then to the default language, then
 * to any.
 *
 * @example localized({ en: 'Servers', de: 'Server' }, 'de-AT', 'en') // 'Server'
 */
export function localized(text: LocalizedText | undefined, locale: string, fallback: string): string {
  if (!text) return '';
  return text[locale] ?? text[locale.slice(0, 2)] ?? text[fallback] ?? Object.values(text)[0] ?? '';
}
