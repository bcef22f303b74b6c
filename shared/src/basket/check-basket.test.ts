import { describe, expect, it } from 'vitest';
import { virtualServer } from '../catalog/demo-virtual-server.ts';
import { BasketRule } from './basket.ts';
import { type BasketSnapshot, checkBasket, type SnapshotProduct } from './check-basket.ts';
import { snapshotItemOf } from './rules/evaluate-rules.ts';

const server: SnapshotProduct = {
  ...virtualServer,
  slug: 'virtual-server',
  categoryIds: ['virtual-servers', 'servers'],
  configurator: { type: 'server', imageOption: 'os', imageRequirements: { windows: { vcpu: 2 } } },
  inputs: [{ key: 'hostname', label: 'Hostname', type: 'hostname', required: true }],
};

const rules = [
  BasketRule.parse({
    id: 'support-upsell',
    assert: "has('product:support-plan')",
    severity: 'suggestion',
    message: 'Add a support plan',
  }),
  BasketRule.parse({
    id: 'backups-on',
    scope: { products: ['virtual-server'] },
    assert: 'backups',
    severity: 'warning',
    message: 'Servers without backups lose data',
    fix: { label: 'Turn backups on', set: { backups: 'true' } },
  }),
  BasketRule.parse({
    id: 'ram-per-vcpu',
    scope: { products: ['virtual-server'] },
    assert: 'ram_gb <= 8 * vcpu',
    severity: 'error',
    message: 'Too much RAM',
  }),
];

describe('checkBasket', () => {
  it('lists errors, then warnings, then suggestions; built-in checks before rules within each', () => {
    const windows = snapshotItemOf('bki_1', server, {
      configuration: { dimensions: { vcpu: 1, ram_gb: 16 }, options: { os: 'windows' } },
      inputs: { hostname: 'web1' },
    });
    const unnamed = snapshotItemOf('bki_2', server, {
      configuration: { dimensions: { vcpu: 1, ram_gb: 16 } },
    });
    const snapshot: BasketSnapshot = { items: [windows, unnamed], account: { users: 1 }, ownedDomains: [] };

    const issues = checkBasket(rules, snapshot);

    expect(issues.map((issue) => `${issue.severity} ${issue.code} ${issue.itemId ?? '-'}`)).toEqual([
      'error image_requirements bki_1',
      'error input_required bki_2',
      'error rule:ram-per-vcpu bki_1',
      'error rule:ram-per-vcpu bki_2',
      'warning rule:backups-on bki_1',
      'warning rule:backups-on bki_2',
      'suggestion rule:support-upsell -',
    ]);
  });

  it('passes the registrar answers to the built-in checks', () => {
    const domain: SnapshotProduct = {
      ...server,
      id: 'prd_domain',
      slug: 'domain',
      dimensions: [],
      options: [
        {
          key: 'tld',
          label: 'TLD',
          type: 'single',
          default: 'com',
          choices: [{ key: 'com', label: '.com' }],
        },
      ],
      presets: [],
      configurator: { type: 'domain', domainInput: 'name', tldOption: 'tld' },
      inputs: [{ key: 'name', label: 'Domain', type: 'domain', required: true }],
    };
    const snapshot: BasketSnapshot = {
      items: [snapshotItemOf('bki_3', domain, { inputs: { name: 'example.com' } })],
      account: { users: 1 },
      ownedDomains: [],
    };
    const answers = new Map([['example.com', { available: false }]]);

    expect(checkBasket([], snapshot, answers).map((issue) => issue.message)).toEqual([
      'example.com is not available',
    ]);
    expect(checkBasket([], snapshot)).toEqual([]);
  });
});
