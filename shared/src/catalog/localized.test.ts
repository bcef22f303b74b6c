import { describe, expect, it } from 'vitest';
import { localized } from './localized.ts';

describe('picking a language', () => {
  const text = { en: 'Servers', de: 'Server', 'pt-BR': 'Servidores' };

  it('takes the language, then its base language, then the default, then any', () => {
    expect(localized(text, 'pt-BR', 'en')).toBe('Servidores');
    expect(localized(text, 'de-AT', 'en')).toBe('Server');
    expect(localized(text, 'fr', 'en')).toBe('Servers');
    expect(localized({ nl: 'Servers (nl)' }, 'fr', 'en')).toBe('Servers (nl)');
    expect(localized(undefined, 'fr', 'en')).toBe('');
  });
});
