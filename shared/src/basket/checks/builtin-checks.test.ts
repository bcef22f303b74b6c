import { describe, expect, it } from 'vitest';
import { virtualServer } from '../../catalog/demo-virtual-server.ts';
import { BasketIssue } from '../basket.ts';
import {
  type BasketSnapshot,
  type SnapshotItem,
  type SnapshotProduct,
  snapshotItemOf,
} from '../rules/evaluate-rules.ts';
import { builtinChecks, type RegistrarAnswers } from './builtin-checks.ts';

// Prepare: one product per configurator type

const server: SnapshotProduct = {
  ...virtualServer,
  slug: 'virtual-server',
  categoryIds: ['virtual-servers', 'servers'],
  configurator: {
    type: 'server',
    imageOption: 'os',
    imageRequirements: { windows: { vcpu: 2, ram_gb: 4 } },
    hostnameInput: 'hostname',
  },
  // a text input the configurator makes a hostname
  inputs: [{ key: 'hostname', label: 'Hostname', type: 'text', required: false }],
};

const domainProduct: SnapshotProduct = {
  id: 'prd_domain',
  slug: 'domain',
  kind: 'saas',
  categoryIds: ['domains'],
  configurator: { type: 'domain', domainInput: 'name', tldOption: 'tld' },
  dimensions: [],
  options: [
    {
      key: 'tld',
      label: 'Top-level domain',
      type: 'single',
      default: 'com',
      choices: [
        { key: 'com', label: '.com' },
        { key: 'de', label: '.de' },
        { key: 'co_uk', label: '.co.uk' },
      ],
    },
  ],
  presets: [],
  inputs: [{ key: 'name', label: 'Domain', type: 'domain', required: true }],
};

const database: SnapshotProduct = {
  id: 'prd_db',
  slug: 'managed-postgres',
  kind: 'paas',
  categoryIds: ['databases'],
  configurator: { type: 'cloudService', nameInput: 'service_name' },
  dimensions: [],
  options: [],
  presets: [],
  inputs: [{ key: 'service_name', label: 'Service name', type: 'text', required: true }],
};

const mailSuite: SnapshotProduct = {
  id: 'prd_mail',
  slug: 'mail-suite',
  kind: 'saas',
  categoryIds: ['productivity'],
  configurator: { type: 'productivitySuite', seatsDimension: 'seats', adminDomainInput: 'domain' },
  dimensions: [
    { key: 'seats', label: 'Seats', unit: 'seat', min: 1, max: 500, step: 1, default: 5, control: 'stepper' },
  ],
  options: [],
  presets: [],
  inputs: [
    { key: 'domain', label: 'Mail domain', type: 'domain', required: true },
    { key: 'note', label: 'Note', type: 'text', required: false },
  ],
};

let nextItem = 0;
function item(product: SnapshotProduct, chosen: Parameters<typeof snapshotItemOf>[2] = {}): SnapshotItem {
  nextItem += 1;
  return snapshotItemOf(`bki_${String(nextItem).padStart(26, '0')}`, product, chosen);
}

const domain = (name: string, tld = 'com') =>
  item(domainProduct, { inputs: { name }, configuration: { options: { tld } } });

function check(items: SnapshotItem[], more: Partial<BasketSnapshot> = {}, answers?: RegistrarAnswers) {
  const issues = builtinChecks({ items, account: { users: 1 }, ownedDomains: [], ...more }, answers);
  for (const issue of issues) BasketIssue.parse(issue); // every issue fits the API's schema
  return issues;
}

const codes = (issues: BasketIssue[]) => issues.map((issue) => issue.code);

describe('builtinChecks: inputs of every product', () => {
  it('requires required inputs, not optional ones', () => {
    const suite = item(mailSuite);
    expect(check([suite])).toEqual([
      {
        severity: 'error',
        code: 'input_required',
        message: 'Mail domain is required',
        itemId: suite.id,
        field: 'domain',
      },
    ]);
    expect(check([item(server)])).toEqual([]);
  });

  it('checks domain, hostname and text syntax', () => {
    const suite = item(mailSuite, { inputs: { domain: '-a.com', note: 'bell\u0007' } });
    const box = item(server, { inputs: { hostname: 'web_1' } });
    expect(check([suite, box]).map(({ code, message, field }) => [code, field, message])).toEqual([
      ['invalid_domain', 'domain', 'Mail domain: label "-a" must not start or end with a hyphen'],
      ['invalid_input', 'note', 'Note must not contain control characters'],
      [
        'invalid_hostname',
        'hostname',
        'Hostname: "web_1" may only contain letters a–z, digits, hyphens and dots',
      ],
    ]);
  });
});

describe('builtinChecks: domains', () => {
  it('accepts a sold domain with its TLD chosen, IDN included', () => {
    expect(
      check([domain('bücher.de', 'de'), domain('example.co.uk', 'co_uk'), domain('Example.COM.')]),
    ).toEqual([]);
  });

  it('offers to choose the TLD the domain has', () => {
    const typed = domain('example.de', 'com');
    expect(check([typed])).toEqual([
      {
        severity: 'error',
        code: 'domain_tld_mismatch',
        message: 'example.de is a .de domain, but .com is chosen',
        itemId: typed.id,
        field: 'tld',
        fix: {
          label: 'Choose .de',
          action: {
            kind: 'updateItem',
            itemId: typed.id,
            configuration: { dimensions: {}, options: { tld: 'de' } },
          },
        },
      },
    ]);
  });

  it('names the chosen TLD as a TLD (co_uk is .co.uk)', () => {
    expect(check([domain('example.de', 'co_uk')]).map((issue) => issue.message)).toEqual([
      'example.de is a .de domain, but .co.uk is chosen',
    ]);
  });

  it('lists the sold TLDs for a TLD the store does not sell', () => {
    expect(check([domain('example.org')]).map((issue) => issue.message)).toEqual([
      '.org domains are not sold here; the TLDs sold are .com, .de, .co.uk',
    ]);
  });

  it('offers the registrable name for a sub-domain', () => {
    const typed = domain('www.example.com');
    const [issue] = check([typed]);
    expect(issue).toMatchObject({
      code: 'domain_not_registrable',
      message: 'Only a name right under .com can be registered: example.com, not www.example.com',
      fix: { label: 'Register example.com', action: { kind: 'updateItem', inputs: { name: 'example.com' } } },
    });
  });

  it('reports an unavailable domain only when the registrar answered', () => {
    const taken = domain('bücher.de', 'de');
    const answers: RegistrarAnswers = new Map([
      ['xn--bcher-kva.de', { available: false, reason: 'registered' }],
    ]);

    expect(check([taken], {}, answers)).toEqual([
      {
        severity: 'error',
        code: 'domain_unavailable',
        message: 'bücher.de is not available: registered',
        itemId: taken.id,
        field: 'name',
      },
    ]);
    expect(check([taken], {}, new Map([['xn--bcher-kva.de', { available: true }]]))).toEqual([]);
    expect(check([taken], {}, new Map())).toEqual([]);
    expect(check([taken])).toEqual([]);
  });

  it('reports a domain twice in the basket, however it was typed, with a fix removing the second', () => {
    const first = domain('example.com');
    const second = domain(' EXAMPLE.com. ');
    expect(check([first, second])).toEqual([
      {
        severity: 'error',
        code: 'domain_duplicate',
        message: 'example.com is in the basket twice',
        itemId: second.id,
        field: 'name',
        fix: { label: 'Remove this one', action: { kind: 'removeItem', itemId: second.id } },
      },
    ]);
  });
});

describe('builtinChecks: servers', () => {
  it('reports an image that needs a bigger server, with a fix to its minimum', () => {
    const small = item(server, {
      configuration: { dimensions: { vcpu: 1, ram_gb: 2 }, options: { os: 'windows' } },
    });
    expect(check([small])).toEqual([
      {
        severity: 'error',
        code: 'image_requirements',
        message: 'Windows Server 2025 needs at least 2 vCPU and 4 GB RAM',
        itemId: small.id,
        field: 'vcpu',
        fix: {
          label: 'Set vCPU to 2 and RAM to 4 GB',
          action: {
            kind: 'updateItem',
            itemId: small.id,
            configuration: {
              dimensions: { ...small.configuration.dimensions, vcpu: 2, ram_gb: 4 },
              options: small.configuration.options,
            },
          },
        },
      },
    ]);
  });

  it('leaves images without requirements and big enough servers alone', () => {
    expect(check([item(server, { configuration: { dimensions: { vcpu: 1, ram_gb: 1 } } })])).toEqual([]);
    expect(
      check([item(server, { configuration: { options: { os: 'windows' }, dimensions: { ram_gb: 4 } } })]),
    ).toEqual([]);
  });

  it('snaps the fix up to the grid, and gives none when the maximum is below the minimum', () => {
    const coarse: SnapshotProduct = {
      ...server,
      configurator: { type: 'server', imageOption: 'os', imageRequirements: { windows: { disk_gb: 45 } } },
    };
    const [snapped] = check([
      item(coarse, { configuration: { options: { os: 'windows' }, dimensions: { disk_gb: 20 } } }),
    ]);
    expect(snapped?.fix?.action).toMatchObject({ configuration: { dimensions: { disk_gb: 50 } } });
    expect(snapped?.fix?.label).toBe('Set Disk to 50 GB');

    const impossible: SnapshotProduct = {
      ...server,
      configurator: { type: 'server', imageOption: 'os', imageRequirements: { windows: { public_ips: 9 } } },
    };
    const [unfixable] = check([item(impossible, { configuration: { options: { os: 'windows' } } })]);
    expect(unfixable).toMatchObject({ code: 'image_requirements' });
    expect(unfixable).not.toHaveProperty('fix');
  });
});

describe('builtinChecks: cloud services', () => {
  const service = (name: string, product = database) => item(product, { inputs: { service_name: name } });

  it('checks the name is a DNS label, offering lower case when that is enough', () => {
    const upper = service('Orders');
    const short = service('ab');
    const issues = check([upper, short, service('orders-db'), service('-x-')]);
    expect(codes(issues)).toEqual(['invalid_service_name', 'invalid_service_name', 'invalid_service_name']);
    expect(issues[0]?.fix).toEqual({
      label: 'Use "orders"',
      action: { kind: 'updateItem', itemId: upper.id, inputs: { service_name: 'orders' } },
    });
    expect(issues[1]).not.toHaveProperty('fix');
    expect(check([service('a'.repeat(64))])).toHaveLength(1);
  });

  it('wants unique names per product, offering a free one', () => {
    const other: SnapshotProduct = { ...database, id: 'prd_cache', slug: 'cache' };
    const second = service('orders');
    const issues = check([service('orders'), service('orders-2'), second, service('orders', other)]);
    expect(issues).toEqual([
      {
        severity: 'error',
        code: 'duplicate_service_name',
        message: 'Another managed-postgres in the basket is named "orders"; each needs its own name',
        itemId: second.id,
        field: 'service_name',
        fix: {
          label: 'Rename to "orders-3"',
          action: { kind: 'updateItem', itemId: second.id, inputs: { service_name: 'orders-3' } },
        },
      },
    ]);
  });
});

describe('builtinChecks: productivity suites', () => {
  const suite = (domainName: string) => item(mailSuite, { inputs: { domain: domainName } });
  const storeDomainProduct = {
    slug: 'domain',
    configurator: { type: 'domain', domainInput: 'name', tldOption: 'tld' } as const,
    options: domainProduct.options,
  };

  it('accepts a domain the buyer owns, one under it, or one in the basket', () => {
    const owned = { ownedDomains: ['Example.com'] };
    expect(check([suite('example.com')], owned)).toEqual([]);
    expect(check([suite('mail.example.com')], owned)).toEqual([]);
    expect(check([suite('bücher.de'), domain('xn--bcher-kva.de', 'de')])).toEqual([]);
  });

  it('reports a domain the buyer neither owns nor buys, without a fix when the store has no domain product', () => {
    const alone = suite('example.org');
    expect(check([alone])).toEqual([
      {
        severity: 'error',
        code: 'admin_domain_not_owned',
        message:
          'example.org is neither a domain of your account nor in the basket: add it, or use a domain you own',
        itemId: alone.id,
        field: 'domain',
      },
    ]);
  });

  it('offers to add the domain with the store domain product and its TLD', () => {
    const [issue] = check([suite('mail.bücher.de')], { domainProduct: storeDomainProduct });
    expect(issue?.fix).toEqual({
      label: 'Register bücher.de',
      action: {
        kind: 'addItem',
        product: 'domain',
        inputs: { name: 'bücher.de' },
        configuration: { options: { tld: 'de' } },
      },
    });
    const [unsold] = check([suite('example.org')], { domainProduct: storeDomainProduct });
    expect(unsold).not.toHaveProperty('fix');
  });
});
