import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BasketRule } from '../basket/basket.ts';
import { CatalogSettings, Category, type Configurator, ProductDraft } from './catalog.ts';
import { productIssues } from './catalog-validation.ts';
import { compilePricing } from './compile.ts';
import { demoBasketRules, demoCatalogSettings, demoCategories, demoProducts } from './demo-catalog.ts';
import { virtualServer } from './demo-virtual-server.ts';
import type { PricedProduct, PriceModel } from './product.ts';
import { type QuoteContext, quote } from './quote.ts';
import { validateProductPricing } from './validation.ts';

const settings = CatalogSettings.parse(demoCatalogSettings);
const categories = demoCategories.map((category) => Category.parse(category));
const categoriesById = new Map(categories.map((category) => [category.id, category]));
const drafts = demoProducts.map((product) => ProductDraft.parse(product));
const bySlug = new Map(drafts.map((draft) => [draft.slug, draft]));
const rules = demoBasketRules.map((rule) => BasketRule.parse(rule));

const pricedOf = (draft: ProductDraft): PricedProduct => ({
  id: `prd_${draft.slug.replaceAll('-', '_')}`,
  kind: draft.kind,
  dimensions: draft.dimensions,
  options: draft.options,
  prices: draft.prices,
  presets: draft.presets,
});
const pricings = new Map(drafts.map((draft) => [draft.slug, compilePricing(pricedOf(draft))]));
const pricing = (slug: string) => {
  const compiled = pricings.get(slug);
  if (!compiled) throw new Error(`no product ${slug}`);
  return compiled;
};
const product = (slug: string) => {
  const draft = bySlug.get(slug);
  if (!draft) throw new Error(`no product ${slug}`);
  return draft;
};

const eur: QuoteContext = { currency: 'EUR', sellerCountry: 'DE' };
const usd: QuoteContext = { currency: 'USD', sellerCountry: 'DE', buyer: { country: 'US' } };
const monthly = (slug: string, configuration = {}, context = eur) =>
  quote(pricing(slug), configuration, context).monthlyEstimate;

/** Category ids from the given one up to the top. */
function ancestry(id: string): string[] {
  const path: string[] = [];
  let current = categoriesById.get(id);
  while (current && !path.includes(current.id)) {
    path.push(current.id);
    current = current.parentId === null ? undefined : categoriesById.get(current.parentId);
  }
  return path;
}

describe('demo catalog settings and categories', () => {
  it('parse, with English and German labels and unique keys', () => {
    expect(settings.sellerCountry).toBe('DE');
    expect(settings.currencies).toEqual(['EUR', 'USD']);
    const keys = settings.attributes.map((attribute) => attribute.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(
      expect.arrayContaining(['region', 'os_family', 'support_level', 'managed', 'sla_percent']),
    );
    for (const attribute of settings.attributes) {
      expect(Object.keys(attribute.label).sort(), attribute.key).toEqual(['de', 'en']);
      if (attribute.type === 'enum') {
        expect(attribute.values?.length, attribute.key).toBeGreaterThan(0);
        for (const value of attribute.values ?? [])
          expect(Object.keys(value.label).sort()).toEqual(['de', 'en']);
      } else {
        expect(attribute.values, attribute.key).toBeUndefined();
      }
    }
    const region = settings.attributes.find((attribute) => attribute.key === 'region');
    expect(region?.values?.map((value) => `${value.key}=${value.label.en}`)).toEqual([
      'eu-central=Frankfurt',
      'eu-west=Dublin',
      'us-east=Virginia',
      'ap-southeast=Singapore',
    ]);
    expect(settings.synonyms).toContainEqual([
      'vm',
      'virtual server',
      'vps',
      'cloud server',
      'instance',
      'virtual machine',
    ]);
  });

  it('form a tree at least three levels deep, without cycles or dangling parents', () => {
    expect(new Set(categoriesById.keys()).size).toBe(categories.length);
    for (const category of categories) {
      if (category.parentId !== null) expect(categoriesById.has(category.parentId), category.id).toBe(true);
      const path = ancestry(category.id);
      // A cycle would stop the walk at a category that has a parent.
      const top = categoriesById.get(path.at(-1) ?? '');
      expect(top?.parentId, `${category.id} reaches the top`).toBeNull();
      expect(Object.keys(category.name).sort()).toEqual(['de', 'en']);
    }
    expect(Math.max(...categories.map((category) => ancestry(category.id).length))).toBeGreaterThanOrEqual(3);
    expect(ancestry('virtual-servers')).toEqual(['virtual-servers', 'servers', 'compute']);
    expect(ancestry('postgresql')).toEqual(['postgresql', 'managed-databases', 'databases']);
  });

  it('gives siblings distinct positions', () => {
    const siblings = Map.groupBy(categories, (category) => category.parentId);
    for (const [parent, children] of siblings) {
      const positions = children.map((child) => child.position);
      expect(new Set(positions).size, `children of ${parent}`).toBe(positions.length);
    }
  });
});

describe('demo products', () => {
  it('have unique slugs and the seven expected products', () => {
    expect(drafts.map((draft) => draft.slug)).toEqual([
      'virtual-server',
      'server-backup',
      'managed-postgresql',
      'object-storage',
      'mail-suite',
      'domain-name',
      'support-plan',
    ]);
    expect(drafts.map((draft) => draft.kind)).toEqual([
      'iaas',
      'iaas',
      'paas',
      'iaas',
      'saas',
      'saas',
      'saas',
    ]);
  });

  it.each(drafts.map((draft) => [draft.slug, draft] as const))(
    '%s validates and compiles',
    (_slug, draft) => {
      expect(validateProductPricing(pricedOf(draft))).toEqual([]);
      expect(() => compilePricing(pricedOf(draft))).not.toThrow();
    },
  );

  it.each(drafts.map((draft) => [draft.slug, draft] as const))(
    '%s passes the catalog checks for publishing',
    (_slug, draft) => {
      const context = { settings, categoryIds: new Set(categoriesById.keys()), defaultLocale: 'en' };
      expect(productIssues(draft, context, true)).toEqual([]);
    },
  );

  it.each(drafts.map((draft) => [draft.slug, draft] as const))(
    '%s is described in English and German',
    (_slug, draft) => {
      expect(Object.keys(draft.name).sort()).toEqual(['de', 'en']);
      expect(Object.keys(draft.summary ?? {}).sort()).toEqual(['de', 'en']);
      expect(Object.keys(draft.description ?? {}).sort()).toEqual(['de', 'en']);
      expect(draft.keywords.length).toBeGreaterThan(0);
    },
  );

  it.each(drafts.map((draft) => [draft.slug, draft] as const))(
    '%s sits in existing categories',
    (_slug, draft) => {
      for (const id of draft.categoryIds) expect(categoriesById.has(id), id).toBe(true);
      expect(new Set(draft.categoryIds).size).toBe(draft.categoryIds.length);
    },
  );

  it.each(drafts.map((draft) => [draft.slug, draft] as const))(
    '%s has attributes matching their definitions',
    (_slug, draft) => {
      for (const [key, value] of Object.entries(draft.attributes)) {
        const definition = settings.attributes.find((attribute) => attribute.key === key);
        expect(definition, `attribute ${key}`).toBeDefined();
        switch (definition?.type) {
          case 'enum':
            expect(
              definition.values?.map((known) => known.key),
              key,
            ).toContain(value);
            break;
          case 'number':
            expect(typeof value, key).toBe('number');
            break;
          case 'boolean':
            expect(typeof value, key).toBe('boolean');
            break;
          case 'text':
            expect(typeof value, key).toBe('string');
            break;
        }
      }
    },
  );

  it.each(drafts.map((draft) => [draft.slug, draft] as const))(
    '%s is priced in every store currency',
    (_slug, draft) => {
      expect(Object.keys(draft.prices).sort()).toEqual([...settings.currencies].sort());
      for (const currency of settings.currencies) {
        const compiled = pricing(draft.slug);
        expect(quote(compiled, {}, { currency, sellerCountry: 'DE' }).currency).toBe(currency);
      }
    },
  );

  it.each(drafts.map((draft) => [draft.slug, draft] as const))(
    '%s has its image in web/static',
    (_slug, draft) => {
      expect(draft.images).toHaveLength(1);
      for (const image of draft.images) {
        expect(image.url).toBe(`/images/products/${draft.slug}.svg`);
        expect(image.alt.length).toBeGreaterThan(0);
        const file = new URL(`../../../web/static${image.url}`, import.meta.url);
        expect(statSync(file).size).toBeLessThanOrEqual(2048);
        const svg = readFileSync(file, 'utf8');
        expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
        expect(svg).toMatch(/viewBox="0 0 \d+ \d+"/);
      }
    },
  );

  it.each(drafts.map((draft) => [draft.slug, draft] as const))(
    '%s: its configurator names keys it has',
    (_slug, draft) => {
      const dimensionKeys = draft.dimensions.map((dimension) => dimension.key);
      const inputKeys = draft.inputs.map((input) => input.key);
      const option = (key: string) => draft.options.find((candidate) => candidate.key === key);
      const configurator: Configurator = draft.configurator;
      switch (configurator.type) {
        case 'server': {
          const image = option(configurator.imageOption);
          expect(image?.type).toBe('single');
          for (const [choice, minimums] of Object.entries(configurator.imageRequirements)) {
            expect(image?.choices?.map((known) => known.key)).toContain(choice);
            for (const key of Object.keys(minimums)) expect(dimensionKeys).toContain(key);
          }
          if (configurator.hostnameInput) expect(inputKeys).toContain(configurator.hostnameInput);
          break;
        }
        case 'domain':
          expect(inputKeys).toContain(configurator.domainInput);
          expect(option(configurator.tldOption)?.type).toBe('single');
          break;
        case 'cloudService':
          expect(inputKeys).toContain(configurator.nameInput);
          break;
        case 'productivitySuite':
          expect(dimensionKeys).toContain(configurator.seatsDimension);
          expect(inputKeys).toContain(configurator.adminDomainInput);
          break;
        case 'generic':
          break;
      }
    },
  );

  it('presets quote in every currency', () => {
    for (const draft of drafts) {
      for (const preset of draft.presets) {
        for (const currency of settings.currencies) {
          expect(() =>
            quote(pricing(draft.slug), preset.configuration, { currency, sellerCountry: 'DE' }),
          ).not.toThrow();
        }
      }
    }
  });

  it('show every price model: graduated, volume, package and perUnit', () => {
    const models = new Set<PriceModel['model']>();
    for (const draft of drafts) {
      for (const priceList of Object.values(draft.prices)) {
        for (const model of Object.values(priceList.dimensions)) models.add(model.model);
        for (const choices of Object.values(priceList.options)) {
          for (const choice of Object.values(choices)) models.add(choice.price.model);
        }
      }
    }
    expect([...models].sort()).toEqual(['graduated', 'package', 'perUnit', 'volume']);
    expect(product('object-storage').prices.EUR?.dimensions.storage_gb?.model).toBe('volume');
    expect(product('object-storage').prices.EUR?.dimensions.egress_gb?.model).toBe('package');
    expect(product('mail-suite').prices.EUR?.dimensions.seats?.model).toBe('graduated');
  });

  it('the virtual server is the pricing of demo-virtual-server.ts', () => {
    const server = product('virtual-server');
    expect(pricedOf(server)).toEqual({ ...virtualServer, id: 'prd_virtual_server' });
    expect(server.configurator).toEqual({
      type: 'server',
      imageOption: 'os',
      imageRequirements: { windows: { vcpu: 2, ram_gb: 4 } },
      hostnameInput: 'hostname',
    });
  });

  it('the .com domain costs its yearly price over 8760 h: 1.00 a month, 12.00 a year', () => {
    const q = quote(pricing('domain-name'), {}, eur);
    expect(q.hourly).toBe('0.001369863');
    expect(q.monthlyEstimate).toBe('1.00');
    expect(q.configuration.options).toEqual({ tld: 'com', whois_privacy: false });
    const tlds = product('domain-name').options.find((option) => option.key === 'tld');
    expect(tlds?.choices?.find((choice) => choice.key === 'co_uk')?.label).toBe('.co.uk');
    // The hourly rate is the yearly price / 8760, to 10 decimals, in every currency and for every TLD.
    for (const priceList of Object.values(product('domain-name').prices)) {
      for (const choice of Object.values(priceList.options.tld ?? {})) {
        if (choice.price.model !== 'perUnit') throw new Error('TLDs are priced per unit');
        const yearly = Number(choice.price.unitPrice) * 8760;
        expect(Math.abs(yearly - Math.round(yearly * 10) / 10)).toBeLessThan(1e-5);
      }
    }
  });
});

describe('demo products: default quotes (EUR, German visitor)', () => {
  it('the default virtual server: 2 vCPU, 4 GB, 80 GB, Linux — 38.40 a month plus 19.00 setup', () => {
    const q = quote(pricing('virtual-server'), {}, eur);
    // base 0.005 + vCPU 2 × 0.012 + RAM 4 × 0.004 + disk (80 − 20 free) × 0.00011 + 1 IP × 0.001
    expect(q.hourly).toBe('0.0526');
    expect(q.lines.map((line) => `${line.key} ${line.monthly}`)).toEqual([
      'base 3.65',
      'vcpu 17.52',
      'ram_gb 11.68',
      'disk_gb 4.82',
      'public_ips 0.73',
      'backup_gb 0.00',
      'bandwidth_mbps 0.00',
      'os 0.00',
      'setup 0.00',
    ]);
    expect(q.monthlyEstimate).toBe('38.40');
    expect(q.setup).toBe('19.00');
    expect(q.totals).toEqual({ net: '57.40', tax: '10.91', gross: '68.31' });
  });

  it('server backup: 100 GB for 30 days — 5.22 a month', () => {
    // base 0.001 + 100 × 0.00005 + (30 − 7 free) × 0.00005 = 0.00715
    const q = quote(pricing('server-backup'), {}, eur);
    expect(q.hourly).toBe('0.00715');
    expect(q.monthlyEstimate).toBe('5.22'); // 0.73 + 3.65 + 0.84
    expect(monthly('server-backup', { dimensions: { retention_days: 7 } })).toBe('4.38');
  });

  it('managed PostgreSQL: 2 vCPU, 4 GB, 20 GB — 52.56; production preset 194.18', () => {
    const q = quote(pricing('managed-postgresql'), {}, eur);
    expect(q.hourly).toBe('0.072'); // 0.008 + 2 × 0.018 + 4 × 0.006 + 20 × 0.0002
    expect(q.monthlyEstimate).toBe('52.56');
    const production = product('managed-postgresql').presets.find((preset) => preset.key === 'production');
    // 0.008 + 4 × 0.018 + 16 × 0.006 + 200 × 0.0002 + 1 replica × 0.04 + HA 0.01 = 0.266
    const q2 = quote(pricing('managed-postgresql'), production?.configuration ?? {}, eur);
    expect(q2.hourly).toBe('0.266');
    expect(q2.monthlyEstimate).toBe('194.18');
  });

  it('object storage: 1 TB, 10 M requests, 200 GB egress — 12.68; volume tiers and egress blocks', () => {
    const q = quote(pricing('object-storage'), {}, eur);
    // base 0.002 + 1000 × 0.000014 + 0 (10 M included) + 1 block of 100 GB (200 − 100 free)
    expect(q.hourly).toBe('0.017369863');
    expect(q.monthlyEstimate).toBe('12.68'); // 1.46 + 10.22 + 0.00 + 1.00
    const storage = (gb: number) =>
      quote(pricing('object-storage'), { dimensions: { storage_gb: gb } }, eur).lines.find(
        (line) => line.key === 'storage_gb',
      )?.monthly;
    expect(storage(1000)).toBe('10.22');
    expect(storage(1100)).toBe('9.64'); // the second tier prices all 1100 GB: 1100 × 0.000012
    const egress = (gb: number) =>
      quote(pricing('object-storage'), { dimensions: { egress_gb: gb } }, eur).lines.find(
        (line) => line.key === 'egress_gb',
      )?.monthly;
    expect([egress(100), egress(110), egress(200), egress(210)]).toEqual(['0.00', '1.00', '1.00', '2.00']);
  });

  it('mail suite: one seat 4.96; Team (25 seats, 100 GB, archive) 181.41', () => {
    expect(monthly('mail-suite')).toBe('4.96');
    const team = product('mail-suite').presets.find((preset) => preset.key === 'team');
    // seats 10 × 0.0068 + 15 × 0.0062 = 0.161 → 117.53; storage 25 × 0.0014 → 25.55; archive 25 × 0.0021 → 38.33
    expect(monthly('mail-suite', team?.configuration)).toBe('181.41');
    expect(product('mail-suite').presets.map((preset) => preset.label)).toEqual(['Starter mail', 'Team']);
  });

  it('support plan: Business 49.00, Enterprise 299.00 a month', () => {
    expect(monthly('support-plan')).toBe('49.00');
    expect(monthly('support-plan', { options: { tier: 'enterprise' } })).toBe('299.00');
    expect(monthly('support-plan', {}, usd)).toBe('55.00');
  });

  it('every default configuration costs something plausible in both currencies', () => {
    const bounds: Record<string, [number, number]> = {
      'virtual-server': [10, 200],
      'server-backup': [1, 50],
      'managed-postgresql': [20, 300],
      'object-storage': [5, 100],
      'mail-suite': [2, 20],
      'domain-name': [0.5, 5],
      'support-plan': [20, 200],
    };
    for (const draft of drafts) {
      const [low, high] = bounds[draft.slug] ?? [0, 0];
      for (const context of [eur, usd]) {
        const amount = Number(monthly(draft.slug, {}, context));
        expect(amount, `${draft.slug} ${context.currency}`).toBeGreaterThanOrEqual(low);
        expect(amount, `${draft.slug} ${context.currency}`).toBeLessThanOrEqual(high * 1.2);
      }
      // USD costs a little more than EUR, never less and never double.
      const ratio = Number(monthly(draft.slug, {}, usd)) / Number(monthly(draft.slug));
      expect(ratio, draft.slug).toBeGreaterThanOrEqual(1);
      expect(ratio, draft.slug).toBeLessThan(1.3);
    }
  });
});

describe('demo basket rules', () => {
  const FUNCTIONS = new Set(['count', 'has', 'ceil', 'floor', 'round', 'min', 'max', 'abs']);
  const WORDS = new Set(['true', 'false', 'and', 'or', 'not', 'quantity']);

  /** The item keys an expression reads (not functions, strings, `account.*` or `quantity`). */
  function identifiers(expression: string): string[] {
    const withoutStrings = expression.replaceAll(/'[^']*'/g, "''");
    return [...withoutStrings.matchAll(/[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*/g)]
      .map((match) => match[0])
      .filter((name) => !FUNCTIONS.has(name) && !WORDS.has(name) && !name.startsWith('account.'));
  }
  const selectors = (expression: string) =>
    [...expression.matchAll(/'([a-z]+):([^']*)'/g)].map((m) => [m[1], m[2]]);
  const templates = (text: string) => [...text.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '');

  it('parse, with unique ids', () => {
    const ids = rules.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([
      'ram-per-vcpu',
      'windows-min-vcpu',
      'backup-needs-server',
      'seats-cover-users',
      'support-upsell',
      'postgres-ha-replicas',
    ]);
  });

  it.each(demoBasketRules.map((rule) => [rule.id, rule] as const))(
    '%s refers to what exists',
    (_id, rule) => {
      const scoped = (rule.scope?.products ?? []).map(product);
      const keys = (draft: ProductDraft) => [
        ...draft.dimensions.map((dimension) => dimension.key),
        ...draft.options.map((option) => option.key),
        ...(draft.inputs ?? []).map((input) => input.key),
      ];
      const expressions = [
        rule.when,
        rule.assert,
        ...templates(rule.message),
        ...(rule.fix ? templates(rule.fix.label) : []),
        ...Object.values(rule.fix?.set ?? {}),
        rule.fix?.quantity,
      ].filter((expression): expression is string => expression !== undefined);
      for (const expression of expressions) {
        for (const name of identifiers(expression)) {
          // Item keys need items: a basket-wide rule may only count and test.
          expect(scoped.length, `${rule.id}: ${name} in ${expression}`).toBeGreaterThan(0);
          for (const draft of scoped) expect(keys(draft), `${rule.id}: ${expression}`).toContain(name);
        }
        for (const [kind, value] of selectors(expression)) {
          if (kind === 'product') expect(bySlug.has(value ?? ''), `${rule.id}: ${value}`).toBe(true);
          else if (kind === 'category')
            expect(categoriesById.has(value ?? ''), `${rule.id}: ${value}`).toBe(true);
          else expect(kind).toBe('kind');
        }
      }
      for (const draft of scoped) {
        for (const key of Object.keys(rule.fix?.set ?? {})) expect(keys(draft)).toContain(key);
      }
      const added = rule.fix?.add;
      if (added) {
        const target = product(added.product);
        if (added.preset) expect(target.presets.map((preset) => preset.key)).toContain(added.preset);
      }
    },
  );

  it('backup-needs-server counts a category the backup itself is not in', () => {
    const rule = rules.find((candidate) => candidate.id === 'backup-needs-server');
    const counted = selectors(rule?.assert ?? '').map(([, value]) => value);
    expect(counted).toEqual(['virtual-servers']);
    for (const id of product('server-backup').categoryIds)
      expect(ancestry(id)).not.toContain('virtual-servers');
    expect(ancestry(product('virtual-server').categoryIds[0] ?? '')).toContain('virtual-servers');
  });

  it('presets keep the rules they can be checked against alone', () => {
    // ram-per-vcpu and postgres-ha-replicas: a preset must not start the buyer off with an error.
    for (const preset of product('virtual-server').presets) {
      const { vcpu = 2, ram_gb = 4 } = preset.configuration.dimensions ?? {};
      expect(ram_gb, preset.key).toBeLessThanOrEqual(8 * vcpu);
    }
    for (const preset of product('managed-postgresql').presets) {
      if (preset.configuration.options?.high_availability === true) {
        expect(preset.configuration.dimensions?.replicas, preset.key).toBeGreaterThanOrEqual(1);
      }
    }
  });
});
