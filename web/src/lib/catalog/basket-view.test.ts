import { describe, expect, it } from 'vitest';
import type { BasketIssue, BasketItemView } from '#lib/api/basket.ts';
import {
  basketWideIssues,
  fixCall,
  groupIssues,
  isQuantity,
  issueCounts,
  issuesOf,
  itemCount,
  itemFacts,
  MAX_QUANTITY,
} from './basket-view.ts';

const configuration = { dimensions: { vcpu: 2, ram_gb: 16 }, options: { os: 'linux' } };

describe('fixes', () => {
  it('map updateItem to a PATCH of what the fix sets', () => {
    expect(
      fixCall({ label: 'Set vCPU to 2', action: { kind: 'updateItem', itemId: 'bki_1', configuration } }),
    ).toEqual({
      kind: 'update',
      itemId: 'bki_1',
      change: { configuration },
    });
    expect(
      fixCall({
        label: 'Accept',
        action: { kind: 'updateItem', itemId: 'bki_1', acceptPrice: true, quantity: 3 },
      }),
    ).toEqual({ kind: 'update', itemId: 'bki_1', change: { acceptPrice: true, quantity: 3 } });
    expect(
      fixCall({
        label: 'Use example.com',
        action: { kind: 'updateItem', itemId: 'bki_2', inputs: { domain: 'example.com' } },
      }),
    ).toEqual({ kind: 'update', itemId: 'bki_2', change: { inputs: { domain: 'example.com' } } });
  });

  it('map addItem to a POST of the product with its preset', () => {
    expect(
      fixCall({
        label: 'Add a virtual server (S)',
        action: { kind: 'addItem', product: 'virtual-server', preset: 's' },
      }),
    ).toEqual({ kind: 'add', request: { product: 'virtual-server', preset: 's' } });
    expect(
      fixCall({
        label: 'Register example.com',
        action: { kind: 'addItem', product: 'domain-name', inputs: { domain: 'example.com' }, quantity: 1 },
      }),
    ).toEqual({
      kind: 'add',
      request: { product: 'domain-name', inputs: { domain: 'example.com' }, quantity: 1 },
    });
  });

  it('map removeItem to a DELETE', () => {
    expect(fixCall({ label: 'Remove the item', action: { kind: 'removeItem', itemId: 'bki_3' } })).toEqual({
      kind: 'remove',
      itemId: 'bki_3',
    });
  });
});

const issue = (severity: BasketIssue['severity'], itemId?: string, code = 'x'): BasketIssue => ({
  severity,
  code,
  message: `${severity} ${itemId ?? 'basket'}`,
  ...(itemId ? { itemId } : {}),
});

describe('issues', () => {
  const issues = [issue('suggestion'), issue('error', 'bki_1'), issue('warning', 'bki_gone'), issue('error')];

  it('are grouped by severity, errors first, empty groups left out', () => {
    const groups = groupIssues(issues);
    expect(groups.map((group) => [group.severity, group.issues.length, group.style.word])).toEqual([
      ['error', 2, 'Must fix'],
      ['warning', 1, 'Check'],
      ['suggestion', 1, 'Suggestion'],
    ]);
    expect(groupIssues([])).toEqual([]);
  });

  it('split into an item’s own and the basket’s (items no longer listed count as the basket’s)', () => {
    expect(issuesOf(issues, 'bki_1').map((entry) => entry.message)).toEqual(['error bki_1']);
    expect(basketWideIssues(issues, [{ id: 'bki_1' }]).map((entry) => entry.message)).toEqual([
      'suggestion basket',
      'warning bki_gone',
      'error basket',
    ]);
  });

  it('are counted in words', () => {
    expect(issueCounts(issues)).toBe('2 errors, 1 warning, 1 suggestion');
    expect(issueCounts([])).toBe('');
  });
});

describe('item facts', () => {
  const line = (kind: 'base' | 'dimension' | 'option', label: string, extra: object = {}) => ({
    kind,
    key: 'k',
    label,
    hourly: '0',
    monthly: '0.00',
    ...extra,
  });
  const item: BasketItemView = {
    id: 'bki_1',
    product: { id: 'prd_1', slug: 'virtual-server', name: 'Virtual server', kind: 'iaas', available: true },
    configuration,
    inputs: { hostname: 'web-1.example.com', empty: '' },
    quantity: 2,
    quote: {
      productId: 'prd_1',
      currency: 'EUR',
      configuration: { dimensions: {}, options: {} },
      lines: [
        line('base', 'Base rate'),
        line('dimension', 'RAM', { quantity: 16, unit: 'GB' }),
        line('dimension', 'Bandwidth', { quantity: 1000, unit: 'Mbit/s' }),
        line('option', 'Operating system: Linux'),
        line('option', 'Daily backups'),
        line('option', 'Extras: Monitoring'),
        line('option', 'Extras: DDoS protection'),
      ],
      hourly: '0',
      monthlyEstimate: '0.00',
      setup: '0.00',
      discounts: { hourly: '0', monthly: '0.00', oneTime: '0.00' },
      tax: { country: 'DE', rate: '0.19', amount: '0.00', reverseCharge: false, rule: 'domestic' },
      totals: { net: '0.00', tax: '0.00', gross: '0.00' },
    },
    addedAt: '2026-11-23T10:00:00.000Z',
  };

  it('read dimensions with units, options and inputs from the quote', () => {
    expect(itemFacts(item, 'en', { hostname: 'Hostname' })).toEqual([
      { label: 'RAM', value: '16 GB' },
      { label: 'Bandwidth', value: '1,000 Mbit/s' },
      { label: 'Operating system', value: 'Linux' },
      { label: 'Daily backups', value: 'Yes' },
      { label: 'Extras', value: 'Monitoring, DDoS protection' },
      { label: 'Hostname', value: 'web-1.example.com' },
    ]);
  });

  it('fall back to the configuration without a quote', () => {
    const { quote: _quote, ...withoutQuote } = item;
    expect(itemFacts({ ...withoutQuote, inputs: {} }, 'en')).toEqual([
      { label: 'Vcpu', value: '2' },
      { label: 'Ram gb', value: '16' },
      { label: 'Os', value: 'linux' },
    ]);
  });

  it('count quantities', () => {
    expect(itemCount([{ quantity: 2 }, { quantity: 1 }])).toBe(3);
    expect(itemCount([])).toBe(0);
  });

  it('take whole quantities from 1 to the API’s limit', () => {
    expect([1, MAX_QUANTITY].every(isQuantity)).toBe(true);
    expect([0, -1, 1.5, MAX_QUANTITY + 1, Number.NaN].some(isQuantity)).toBe(false);
  });
});
