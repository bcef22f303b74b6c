import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configurationRulesOf, isOnStepGrid } from '../../catalog/configuration.ts';
import { virtualServer } from '../../catalog/demo-virtual-server.ts';
import { decimal } from '../../catalog/money.ts';
import { InvalidConfigurationError } from '../../catalog/pricing-errors.ts';
import type { CapacityDimension } from '../../catalog/product.ts';
import { BasketIssue, BasketRule, type BasketRuleInput } from '../basket.ts';
import {
  type BasketSnapshot,
  checkRuleSyntax,
  evaluateRules,
  itemNamesOf,
  type SnapshotItem,
  type SnapshotProduct,
  snapshotItemOf,
  snapUpToGrid,
} from './evaluate-rules.ts';

// Prepare: the demo server, a backup add-on, a mail suite and a support plan, as the checks see them

const server: SnapshotProduct = {
  ...virtualServer,
  slug: 'virtual-server',
  categoryIds: ['virtual-servers', 'servers'],
  configurator: { type: 'server', imageOption: 'os', imageRequirements: {}, hostnameInput: 'hostname' },
  inputs: [{ key: 'hostname', label: 'Hostname', type: 'hostname', required: false }],
};

const backupAddOn: SnapshotProduct = {
  id: 'prd_backup',
  slug: 'backup',
  kind: 'saas',
  categoryIds: ['add-ons'],
  configurator: { type: 'generic' },
  dimensions: [
    {
      key: 'storage_gb',
      label: 'Storage',
      unit: 'GB',
      min: 10,
      max: 1000,
      step: 10,
      default: 10,
      control: 'slider',
    },
  ],
  options: [],
  presets: [],
  inputs: [],
};

const mailSuite: SnapshotProduct = {
  id: 'prd_mail',
  slug: 'mail-suite',
  kind: 'saas',
  categoryIds: ['productivity'],
  configurator: { type: 'productivitySuite', seatsDimension: 'seats', adminDomainInput: 'domain' },
  dimensions: [
    { key: 'seats', label: 'Seats', unit: 'seat', min: 5, max: 500, step: 5, default: 5, control: 'stepper' },
  ],
  options: [],
  presets: [],
  inputs: [{ key: 'domain', label: 'Mail domain', type: 'domain', required: true }],
};

const supportPlan: SnapshotProduct = {
  ...backupAddOn,
  id: 'prd_support',
  slug: 'support-plan',
  dimensions: [],
};

let nextItem = 0;
function item(product: SnapshotProduct, chosen: Parameters<typeof snapshotItemOf>[2] = {}): SnapshotItem {
  nextItem += 1;
  return snapshotItemOf(`bki_${String(nextItem).padStart(26, '0')}`, product, chosen);
}

function basket(items: SnapshotItem[], users = 1): BasketSnapshot {
  return { items, account: { users }, ownedDomains: [] };
}

/** Rules as a merchant saves them: parsed by the contract's schema, defaults filled in. */
const rule = (input: BasketRuleInput): BasketRule => BasketRule.parse(input);

const ramPerVcpu = rule({
  id: 'ram-per-vcpu',
  scope: { products: ['virtual-server'] },
  assert: 'ram_gb <= 8 * vcpu',
  severity: 'error',
  message: 'At most 8 GB RAM per vCPU: {ram_gb} GB needs {ceil(ram_gb / 8)} vCPU',
  fix: { label: 'Set vCPU to {ceil(ram_gb / 8)}', set: { vcpu: 'ceil(ram_gb / 8)' } },
});

const windowsNeedsTwoVcpu = rule({
  id: 'windows-vcpu',
  scope: { categories: ['servers'] },
  when: "os == 'windows'",
  assert: 'vcpu >= 2',
  severity: 'error',
  message: 'Windows needs at least 2 vCPU',
  fix: { label: 'Set vCPU to 2', set: { vcpu: '2' } },
});

const backupNeedsServer = rule({
  id: 'backup-needs-server',
  scope: { products: ['backup'] },
  assert: "count('category:servers') >= 1",
  severity: 'error',
  message: 'Backups need a server in the basket',
  fix: { label: 'Add a virtual server', add: { product: 'virtual-server', preset: 's' } },
});

const seatsForEveryUser = rule({
  id: 'seats-for-users',
  scope: { products: ['mail-suite'] },
  assert: 'seats >= account.users',
  severity: 'warning',
  message: 'Your account has {account.users} users but the suite {seats} seats',
  fix: { label: 'Set seats to {account.users}', set: { seats: 'account.users' } },
});

const supportUpsell = rule({
  id: 'support-upsell',
  assert: "has('product:support-plan') || count('kind:iaas') == 0",
  severity: 'suggestion',
  message: 'Servers run better with a support plan',
  fix: { label: 'Add a support plan', add: { product: 'support-plan' } },
});

describe('evaluateRules: the demo rules', () => {
  it('reports RAM beyond 8 GB per vCPU, with a fix setting vCPU that keeps the rest of the configuration', () => {
    const big = item(server, {
      configuration: { dimensions: { vcpu: 2, ram_gb: 24 }, options: { os: 'windows' } },
    });
    const fine = item(server, { configuration: { dimensions: { vcpu: 2, ram_gb: 16 } } });

    const issues = evaluateRules([ramPerVcpu], basket([big, fine]));

    expect(issues).toEqual([
      {
        severity: 'error',
        code: 'rule:ram-per-vcpu',
        message: 'At most 8 GB RAM per vCPU: 24 GB needs 3 vCPU',
        itemId: big.id,
        field: 'vcpu',
        fix: {
          label: 'Set vCPU to 3',
          action: {
            kind: 'updateItem',
            itemId: big.id,
            configuration: {
              dimensions: { ...big.configuration.dimensions, vcpu: 3 },
              options: { os: 'windows', backups: false, extras: [] },
            },
          },
        },
      },
    ]);
    expect(issues.map((issue) => BasketIssue.parse(issue))).toEqual(issues);
  });

  it('checks Windows servers only (when), and fixes them', () => {
    const linux = item(server, { configuration: { dimensions: { vcpu: 1 } } });
    const windows = item(server, { configuration: { dimensions: { vcpu: 1 }, options: { os: 'windows' } } });

    const issues = evaluateRules([windowsNeedsTwoVcpu], basket([linux, windows]));

    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ itemId: windows.id, message: 'Windows needs at least 2 vCPU' });
    expect(issues[0]?.fix?.action).toMatchObject({ configuration: { dimensions: { vcpu: 2 } } });
  });

  it('offers to add a server for a backup add-on alone, and is quiet once there is one', () => {
    const backup = item(backupAddOn);

    expect(evaluateRules([backupNeedsServer], basket([backup]))).toEqual([
      {
        severity: 'error',
        code: 'rule:backup-needs-server',
        message: 'Backups need a server in the basket',
        itemId: backup.id,
        fix: {
          label: 'Add a virtual server',
          action: { kind: 'addItem', product: 'virtual-server', preset: 's' },
        },
      },
    ]);
    expect(evaluateRules([backupNeedsServer], basket([backup, item(server)]))).toEqual([]);
  });

  it('warns when seats are fewer than the account users; the fix lands on the seat grid', () => {
    const suite = item(mailSuite, {
      configuration: { dimensions: { seats: 5 } },
      inputs: { domain: 'example.com' },
    });

    const [issue] = evaluateRules([seatsForEveryUser], basket([suite], 12));

    expect(issue).toMatchObject({
      severity: 'warning',
      message: 'Your account has 12 users but the suite 5 seats',
      field: 'seats',
      fix: { label: 'Set seats to 12', action: { configuration: { dimensions: { seats: 15 } } } },
    });
    expect(evaluateRules([seatsForEveryUser], basket([suite], 5))).toEqual([]);
  });

  it('suggests a support plan once for the basket (no item), and not when there is one', () => {
    const servers = basket([item(server), item(server)]);

    expect(evaluateRules([supportUpsell], servers)).toEqual([
      {
        severity: 'suggestion',
        code: 'rule:support-upsell',
        message: 'Servers run better with a support plan',
        fix: { label: 'Add a support plan', action: { kind: 'addItem', product: 'support-plan' } },
      },
    ]);
    expect(evaluateRules([supportUpsell], basket([...servers.items, item(supportPlan)]))).toEqual([]);
    expect(evaluateRules([supportUpsell], basket([item(backupAddOn)]))).toEqual([]);
  });

  it('skips disabled rules', () => {
    const backup = item(backupAddOn);
    expect(evaluateRules([{ ...backupNeedsServer, enabled: false }], basket([backup]))).toEqual([]);
  });
});

describe('evaluateRules: scope', () => {
  const items = [item(server), item(backupAddOn), item(mailSuite, { inputs: { domain: 'example.com' } })];
  const alwaysFails = (scope: BasketRule['scope']) =>
    rule({ id: 'always', scope, assert: 'false', severity: 'warning', message: 'x' });
  const reported = (scope: BasketRule['scope']) =>
    evaluateRules([alwaysFails(scope)], basket(items)).map((issue) => issue.itemId);

  it('matches products by id or slug, categories with their ancestors, kinds; all of them given', () => {
    expect(reported({ products: ['prd_backup', 'mail-suite'] })).toEqual([items[1]?.id, items[2]?.id]);
    expect(reported({ categories: ['servers'] })).toEqual([items[0]?.id]); // the server is under servers
    expect(reported({ categories: ['virtual-servers'] })).toEqual([items[0]?.id]);
    expect(reported({ kinds: ['saas'] })).toEqual([items[1]?.id, items[2]?.id]);
    expect(reported({ kinds: ['saas'], categories: ['productivity'] })).toEqual([items[2]?.id]);
    expect(reported({ products: ['nothing'] })).toEqual([]);
    expect(reported({})).toEqual(items.map((each) => each.id));
  });

  it('checks a rule without scope once for the basket', () => {
    expect(evaluateRules([alwaysFails(undefined)], basket(items))).toEqual([
      { severity: 'warning', code: 'rule:always', message: 'x' },
    ]);
  });
});

describe('evaluateRules: fixes', () => {
  it('snaps a set dimension up to its step grid', () => {
    const disk = rule({
      id: 'disk-for-ram',
      scope: { products: ['virtual-server'] },
      assert: 'disk_gb >= 3 * ram_gb',
      severity: 'error',
      message: 'Disk too small',
      fix: { label: 'Set disk', set: { disk_gb: '3 * ram_gb' } },
    });
    const small = item(server, { configuration: { dimensions: { ram_gb: 13, disk_gb: 20 } } });

    const [issue] = evaluateRules([disk], basket([small]));

    expect(issue?.fix?.action).toMatchObject({ configuration: { dimensions: { disk_gb: 40 } } }); // 39 → 40
  });

  it('omits a fix that does not fix: the value is clamped to the maximum and still breaks the rule', () => {
    const ramPerTwo = rule({
      ...ramPerVcpu,
      assert: 'ram_gb <= 2 * vcpu',
      fix: { label: 'More vCPU', set: { vcpu: 'ram_gb / 2' } },
    });
    const huge = item(server, { configuration: { dimensions: { vcpu: 8, ram_gb: 256 } } });

    const [issue] = evaluateRules([ramPerTwo], basket([huge]));

    expect(issue).toMatchObject({ code: 'rule:ram-per-vcpu' });
    expect(issue).not.toHaveProperty('fix');
  });

  it('omits a fix that sets a value other than what the rule needs', () => {
    const wrongFix = rule({ ...windowsNeedsTwoVcpu, fix: { label: 'Set vCPU to 1', set: { vcpu: '1' } } });
    const windows = item(server, { configuration: { dimensions: { vcpu: 1 }, options: { os: 'windows' } } });

    expect(evaluateRules([wrongFix], basket([windows]))[0]).not.toHaveProperty('fix');
  });

  it('sets options and inputs; a fix that makes `when` false fixes too', () => {
    const linuxInstead = rule({
      ...windowsNeedsTwoVcpu,
      fix: { label: 'Use Linux', set: { os: "'linux'", hostname: "'small-linux'" } },
    });
    const windows = item(server, {
      configuration: { dimensions: { vcpu: 1 }, options: { os: 'windows' } },
      inputs: { hostname: 'win' },
    });

    const [issue] = evaluateRules([linuxInstead], basket([windows]));

    expect(issue?.fix?.action).toEqual({
      kind: 'updateItem',
      itemId: windows.id,
      configuration: {
        dimensions: windows.configuration.dimensions,
        options: { os: 'linux', backups: false, extras: [] },
      },
      inputs: { hostname: 'small-linux' },
    });
  });

  it('sets the quantity, rounded up and limited to 1–100', () => {
    const licences = rule({
      id: 'licences',
      scope: { products: ['backup'] },
      assert: 'quantity >= account.users / 2',
      severity: 'warning',
      message: '{quantity} licences for {account.users} users',
      fix: { label: 'Buy {ceil(account.users / 2)}', quantity: 'account.users / 2' },
    });
    const backup = item(backupAddOn);

    expect(evaluateRules([licences], basket([backup], 7))[0]?.fix).toEqual({
      label: 'Buy 4',
      action: { kind: 'updateItem', itemId: backup.id, quantity: 4 },
    });
    // 300 / 2 = 150 is beyond what an item may hold: 100 does not fix it
    expect(evaluateRules([licences], basket([backup], 300))[0]).not.toHaveProperty('fix');
  });

  it('removes an item', () => {
    const noBackupsAlone = rule({ ...backupNeedsServer, fix: { label: 'Remove', remove: true } });
    const backup = item(backupAddOn);
    expect(evaluateRules([noBackupsAlone], basket([backup]))[0]?.fix).toEqual({
      label: 'Remove',
      action: { kind: 'removeItem', itemId: backup.id },
    });
  });

  it('checks an add fix when the product is in the basket, and omits it when one more is not enough', () => {
    const cluster = rule({
      id: 'cluster',
      scope: { products: ['backup'] },
      assert: "count('product:virtual-server') >= 2",
      severity: 'error',
      message: 'Backups of a cluster need two servers',
      fix: { label: 'Add a server', add: { product: 'virtual-server', preset: 'm' } },
    });
    const backup = item(backupAddOn);

    expect(evaluateRules([cluster], basket([backup, item(server)]))[0]?.fix?.action).toEqual({
      kind: 'addItem',
      product: 'virtual-server',
      preset: 'm',
    });
    expect(evaluateRules([cluster], basket([backup]))[0]?.fix).toBeDefined(); // product unknown: offered
    const needsThree = rule({ ...cluster, assert: "count('product:virtual-server') >= 3" });
    expect(evaluateRules([needsThree], basket([backup, item(server)]))[0]).not.toHaveProperty('fix');
  });

  it('checks a basket-wide add fix the same way', () => {
    const twoServers = rule({
      id: 'two-servers',
      assert: "count('product:virtual-server') >= 2",
      severity: 'suggestion',
      message: 'Two servers fail over',
      fix: { label: 'Add a server', add: { product: 'virtual-server' } },
    });
    const one = basket([item(server)]);

    expect(evaluateRules([twoServers], one)).toEqual([
      {
        severity: 'suggestion',
        code: 'rule:two-servers',
        message: 'Two servers fail over',
        fix: { label: 'Add a server', action: { kind: 'addItem', product: 'virtual-server' } },
      },
    ]);
    const threeServers = rule({ ...twoServers, assert: "count('product:virtual-server') >= 3" });
    expect(evaluateRules([threeServers], one)[0]).not.toHaveProperty('fix');
  });

  it("checks a fix on the basket with the item changed: the basket's functions see the new value", () => {
    const vcpuBudget = rule({
      id: 'vcpu-budget',
      scope: { products: ['virtual-server'] },
      assert: "sum('product:virtual-server', 'vcpu') <= 8",
      severity: 'error',
      message: 'At most 8 vCPU in all',
      fix: { label: 'Set vCPU to 1', set: { vcpu: '1' } },
    });
    const four = item(server, { configuration: { dimensions: { vcpu: 4 } } });
    const six = item(server, { configuration: { dimensions: { vcpu: 6 } } });

    // 4 + 6: shrinking either one to 1 vCPU brings the basket within 8
    expect(evaluateRules([vcpuBudget], basket([four, six])).map((issue) => issue.fix?.label)).toEqual([
      'Set vCPU to 1',
      'Set vCPU to 1',
    ]);
    // 6 + 6 + 4: one server at 1 vCPU leaves 10 or 13; no fix is offered
    const more = basket([six, item(server, { configuration: { dimensions: { vcpu: 6 } } }), four]);
    expect(evaluateRules([vcpuBudget], more).map((issue) => issue.fix)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('evaluateRules: compiled rules', () => {
  it('checks a rule edited under the same id as edited, and the earlier one as before', () => {
    const backup = item(backupAddOn);
    const atLeast10 = rule({ ...backupNeedsServer, assert: 'storage_gb >= 10', fix: undefined });
    const atLeast20 = rule({ ...atLeast10, assert: 'storage_gb >= 20' });

    expect(evaluateRules([atLeast10], basket([backup]))).toEqual([]);
    expect(evaluateRules([atLeast20], basket([backup]))).toHaveLength(1);
    expect(evaluateRules([atLeast10], basket([backup]))).toEqual([]);
  });
});

describe('evaluateRules: broken rules warn, never block', () => {
  const backup = item(backupAddOn);

  it('turns an unknown name at evaluation into a warning on the item', () => {
    const typo = rule({ ...backupNeedsServer, assert: 'storage > 1' });
    expect(evaluateRules([typo], basket([backup]))).toEqual([
      {
        severity: 'warning',
        code: 'rule_error:backup-needs-server',
        message:
          'The store\'s rule "backup-needs-server" could not be checked (assert: Unknown name "storage"; this item has storage_gb, quantity at character 1)',
        itemId: backup.id,
      },
    ]);
  });

  it('turns a syntax error into one warning for the basket', () => {
    const broken = rule({ ...backupNeedsServer, assert: 'storage_gb >' });
    expect(evaluateRules([broken], basket([backup, item(backupAddOn)]))).toEqual([
      {
        severity: 'warning',
        code: 'rule_error:backup-needs-server',
        message:
          'The store\'s rule "backup-needs-server" could not be checked (assert: Expected expression after > at character 13)',
      },
    ]);
  });

  it('turns division by zero, a non-boolean assert and a broken message into warnings', () => {
    const messages = [
      rule({ ...backupNeedsServer, id: 'zero', assert: 'storage_gb / (quantity - 1) > 1' }),
      rule({ ...backupNeedsServer, id: 'number', when: 'storage_gb > 0', assert: 'true && storage_gb' }),
      rule({ ...backupNeedsServer, id: 'message', message: '{storage}' }),
    ].flatMap((each) =>
      evaluateRules([each], basket([backup])).map((issue) => `${issue.severity} ${issue.code}`),
    );
    expect(messages).toEqual([
      'warning rule_error:zero',
      'warning rule_error:number',
      'warning rule_error:message',
    ]);
  });

  it('reports the issue without its fix, and a warning, when only the fix is broken', () => {
    const badFix = rule({ ...backupNeedsServer, fix: { label: 'x', set: { size: '1' } } });
    expect(
      evaluateRules([badFix], basket([backup])).map((issue) => [issue.code, issue.fix, issue.message]),
    ).toEqual([
      ['rule:backup-needs-server', undefined, 'Backups need a server in the basket'],
      [
        'rule_error:backup-needs-server',
        undefined,
        'The store\'s rule "backup-needs-server" could not be checked (fix.set.size: "size" is not a dimension, option or input of backup)',
      ],
    ]);
  });
});

describe('evaluateRules: fixes that do not fit the product', () => {
  const windows = item(server, { configuration: { dimensions: { vcpu: 1 }, options: { os: 'windows' } } });
  const fixProblem = (set: Record<string, string>) =>
    evaluateRules([rule({ ...windowsNeedsTwoVcpu, fix: { label: 'x', set } })], basket([windows]))
      .filter((issue) => issue.code.startsWith('rule_error:'))
      .map((issue) => issue.message);

  it('reports a value of the wrong kind, or not a choice, as a broken fix', () => {
    const problem = (detail: string) => `The store's rule "windows-vcpu" could not be checked (${detail})`;
    expect(fixProblem({ vcpu: "'two'" })).toEqual([
      problem('fix.set.vcpu: vCPU must be set to a number, not two'),
    ]);
    expect(fixProblem({ os: "'solaris'" })).toEqual([
      problem('fix.set.os: Operating system cannot be set to "solaris": its choices are linux, windows'),
    ]);
    expect(fixProblem({ extras: "['monitoring', 'gpu']" })).toEqual([
      problem(
        'fix.set.extras: Extras cannot be set to "monitoring, gpu": its choices are monitoring, ddos_protection',
      ),
    ]);
    expect(fixProblem({ backups: "'yes'" })).toEqual([
      problem('fix.set.backups: Daily backups cannot be set to "yes"'),
    ]);
    expect(fixProblem({ hostname: '2' })).toEqual([
      problem('fix.set.hostname: the input "hostname" must be set to text'),
    ]);
  });

  it("sets a multi option in the product's order", () => {
    const both = rule({
      ...windowsNeedsTwoVcpu,
      fix: { label: 'x', set: { vcpu: '2', extras: "['ddos_protection', 'monitoring']" } },
    });
    const [issue] = evaluateRules([both], basket([windows]));
    expect(issue?.fix?.action).toMatchObject({
      configuration: { options: { extras: ['monitoring', 'ddos_protection'] } },
    });
  });
});

describe('checkRuleSyntax', () => {
  it('accepts the demo rules', () => {
    for (const each of [
      ramPerVcpu,
      windowsNeedsTwoVcpu,
      backupNeedsServer,
      seatsForEveryUser,
      supportUpsell,
    ]) {
      expect(checkRuleSyntax(each)).toEqual([]);
    }
  });

  it('lists every problem with its path and position', () => {
    expect(
      checkRuleSyntax({
        scope: { products: ['virtual-server'] },
        when: "os = 'windows'",
        assert: 'ram_gb <= 8 *',
        message: 'Needs {ceil(ram_gb / 8} vCPU',
        fix: { label: 'Set {vcpu', set: { vcpu: "'two'", ram_gb: 'ram_gb +' }, quantity: "'x'" },
      }),
    ).toEqual([
      { path: 'body.when', code: 'invalid_rule_expression', message: 'Unexpected "=" at character 4' },
      {
        path: 'body.assert',
        code: 'invalid_rule_expression',
        message: 'Expected expression after * at character 14',
      },
      { path: 'body.message', code: 'invalid_rule_expression', message: 'Expected ) at character 23' },
      {
        path: 'body.fix.label',
        code: 'invalid_rule_expression',
        message: 'Unclosed { in the message (write {{ for a brace) at character 5',
      },
      {
        path: 'body.fix.set.ram_gb',
        code: 'invalid_rule_expression',
        message: 'Expected expression after + at character 9',
      },
      {
        path: 'body.fix.quantity',
        code: 'invalid_rule_expression',
        message: 'The expression must give a number, not text at character 1',
      },
    ]);
  });

  it('checks names and value types against the products in scope when given', () => {
    expect(
      checkRuleSyntax(
        { ...ramPerVcpu, assert: 'ram <= 8 * vcpu', fix: { label: 'x', set: { vcpu: "'two'", cores: '1' } } },
        { at: 'body.rules[0]', names: itemNamesOf(server) },
      ),
    ).toEqual([
      {
        path: 'body.rules[0].assert',
        code: 'invalid_rule_expression',
        message: expect.stringMatching(
          /^Unknown name "ram"; the items have quantity, vcpu, ram_gb, .* at character 1$/,
        ),
      },
      {
        path: 'body.rules[0].fix.set.vcpu',
        code: 'invalid_rule_expression',
        message: 'The expression must give a number, not text at character 1',
      },
      {
        path: 'body.rules[0].fix.set.cores',
        code: 'invalid_rule_fix',
        message: '"cores" is not a dimension, option or input of the products in scope',
      },
    ]);
  });

  it('rejects item names and item fixes in a basket-wide rule, and fixes doing several things', () => {
    expect(
      checkRuleSyntax({
        assert: 'vcpu > 1',
        message: 'x',
        fix: { label: 'x', set: { vcpu: '2' }, add: { product: 'support-plan' } },
      }).map((issue) => `${issue.path}: ${issue.message}`),
    ).toEqual([
      'body.assert: "vcpu" is not known in a basket-wide rule (it has no item; give the rule a scope, or use count, has, sum) at character 1',
      'body.fix: A fix does one thing: set and quantity, add, or remove',
      'body.fix: A basket-wide rule has no item to change: its fix can only add a product',
    ]);
    expect(checkRuleSyntax({ assert: 'true', message: 'x', fix: { label: 'x' } })).toEqual([
      { path: 'body.fix', code: 'invalid_rule_fix', message: 'A fix needs set, quantity, add or remove' },
    ]);
  });
});

describe('snapshotItemOf', () => {
  it('resolves the configuration with defaults, and refuses one that does not fit the product', () => {
    const resolved = snapshotItemOf('bki_x', server, { configuration: { dimensions: { vcpu: 4 } } });
    expect(resolved.configuration.dimensions).toMatchObject({ vcpu: 4, ram_gb: 4 });
    expect(resolved.configuration.options).toEqual({ os: 'linux', backups: false, extras: [] });
    expect(() => snapshotItemOf('bki_x', server, { configuration: { dimensions: { vcpu: 65 } } })).toThrow(
      InvalidConfigurationError,
    );
  });
});

describe('snapUpToGrid', () => {
  const half: CapacityDimension = {
    key: 'x',
    label: 'X',
    unit: 'u',
    min: 0.5,
    max: 10,
    step: 0.5,
    default: 1,
    control: 'slider',
  };
  const odd: CapacityDimension = { ...half, min: 1, step: 2, max: 10 };

  it.each([
    { grid: half, value: 1.2, snapped: 1.5 },
    { grid: half, value: 1.5, snapped: 1.5 },
    { grid: half, value: 1.5000000001, snapped: 1.5 }, // float noise does not add a step
    { grid: half, value: -3, snapped: 0.5 },
    { grid: half, value: 99, snapped: 10 },
    { grid: odd, value: 4, snapped: 5 },
    { grid: odd, value: 12, snapped: 9 }, // the largest grid value under the maximum
    { grid: { ...half, min: 0, step: 0.1, max: 1 }, value: 0.30000000000000004, snapped: 0.3 },
  ])('$value on $grid.min + n × $grid.step up to $grid.max → $snapped', ({ grid, value, snapped }) => {
    expect(snapUpToGrid(grid, value)).toBe(snapped);
  });
});

describe('property: the fix of a failing `a <= k * b` rule', () => {
  const gridValue = (min: number, step: number, steps: number) =>
    decimal(step).times(steps).plus(min).toNumber();
  /** A dimension and a value on its grid. */
  const dimensionWithValue = (key: string) =>
    fc
      .record({
        min: fc.integer({ min: 0, max: 20 }),
        step: fc.constantFrom(0.1, 0.25, 0.5, 1, 2, 5, 10),
        steps: fc.integer({ min: 1, max: 200 }),
      })
      .chain(({ min, step, steps }) =>
        fc.integer({ min: 0, max: steps }).map((at) => ({
          dimension: {
            key,
            label: key,
            unit: 'u',
            min,
            max: gridValue(min, step, steps),
            step,
            default: min,
            control: 'slider',
          } satisfies CapacityDimension,
          value: gridValue(min, step, at),
        })),
      );

  it('satisfies the rule and lies on the grid, and is offered whenever a value in range can', () => {
    fc.assert(
      fc.property(
        dimensionWithValue('a'),
        dimensionWithValue('b'),
        fc.constantFrom(0.5, 1, 1.5, 2, 4, 8),
        ({ dimension: a, value: aValue }, { dimension: b, value: bValue }, k) => {
          fc.pre(aValue > k * bValue + 1e-6);
          const product: SnapshotProduct = { ...backupAddOn, dimensions: [a, b] };
          const broken = item(product, { configuration: { dimensions: { a: aValue, b: bValue } } });
          const ratio = rule({
            id: 'ratio',
            scope: {},
            assert: `a <= ${k} * b`,
            severity: 'error',
            message: 'x',
            fix: { label: 'x', set: { b: `a / ${k}` } },
          });

          const [issue] = evaluateRules([ratio], basket([broken]));

          const action = issue?.fix?.action;
          expect(action !== undefined).toBe(aValue / k <= b.max + 1e-9);
          if (action?.kind !== 'updateItem') return;
          const fixed = action.configuration?.dimensions?.b as number;
          const grid = configurationRulesOf(product).dimensionsByKey.get('b');
          expect(grid && isOnStepGrid(grid, fixed)).toBe(true);
          expect(fixed).toBeGreaterThanOrEqual(b.min);
          expect(fixed).toBeLessThanOrEqual(b.max);
          expect(aValue <= k * fixed + 1e-9).toBe(true);
          expect(action.configuration?.dimensions?.a).toBe(aValue);
        },
      ),
      { numRuns: 500 },
    );
  });
});
