/**
 * The checks every basket gets without a merchant rule, by what a product is (its configurator):
 * inputs present and well-formed for every product, then domains (TLD sold and chosen, available,
 * once in the basket), servers (the image's minimum size), cloud services (a DNS-safe, unique
 * name) and productivity suites (a domain the buyer owns or buys).
 */
import type { ProductInput } from '../../catalog/catalog.ts';
import type { CapacityDimension, ProductOption } from '../../catalog/product.ts';
import type { BasketFix, BasketIssue } from '../basket.ts';
import { type BasketSnapshot, type SnapshotItem, snapUpToGrid } from '../rules/evaluate-rules.ts';
import { formatRuleValue, nearlyEqual } from '../rules/expression.ts';
import {
  matchSoldTld,
  type NormalisedDomain,
  normaliseDomain,
  normaliseHostname,
  type SoldTld,
  soldTldsOf,
  validDomain,
} from './domain-names.ts';

/** What the registrar said about a domain; `reason` is shown ("registered since 2004"). */
export type RegistrarAnswer = { available: boolean; reason?: string };
/** Answers by ASCII domain (`xn--bcher-kva.de`). */
export type RegistrarAnswers = ReadonlyMap<string, RegistrarAnswer>;

/** A cloud service's name becomes a DNS label of its endpoint. */
const SERVICE_NAME = /^[a-z][a-z0-9-]{1,61}[a-z0-9]$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

type InputSyntax = 'domain' | 'hostname' | 'serviceName' | 'text';

/**
 * Built-in checks of a basket. Without `registrarAnswers` domain availability is not checked (the
 * storefront checks as the buyer types; the service asks the registrar before checkout).
 *
 * @example builtinChecks(snapshot, new Map([['example.com', { available: false }]]))
 * // [{ severity: 'error', code: 'domain_unavailable', message: 'example.com is not available', … }]
 */
export function builtinChecks(snapshot: BasketSnapshot, registrarAnswers?: RegistrarAnswers): BasketIssue[] {
  const issues: BasketIssue[] = [];
  const domainsSeen = new Set<string>();
  const serviceNamesSeen = new Set<string>();
  const ownedDomains = ownedDomainsOf(snapshot);
  for (const item of snapshot.items) {
    issues.push(...inputIssues(item));
    const configurator = item.product.configurator;
    switch (configurator.type) {
      case 'domain':
        issues.push(...domainIssues(item, configurator, registrarAnswers, domainsSeen));
        break;
      case 'server':
        issues.push(...serverIssues(item, configurator));
        break;
      case 'cloudService':
        issues.push(...serviceNameIssues(item, configurator.nameInput, snapshot, serviceNamesSeen));
        break;
      case 'productivitySuite':
        issues.push(...adminDomainIssues(item, configurator.adminDomainInput, snapshot, ownedDomains));
        break;
      case 'generic':
        break;
    }
  }
  return issues;
}

const issue = (
  item: SnapshotItem,
  code: string,
  message: string,
  field: string | undefined,
  fix?: BasketFix,
): BasketIssue => ({
  severity: 'error',
  code,
  message,
  itemId: item.id,
  ...(field ? { field } : {}),
  ...(fix ? { fix } : {}),
});

const inputValue = (item: SnapshotItem, key: string) => (item.inputs[key] ?? '').trim();

/** An input's syntax: its type, or what the configurator makes of it (a domain, a hostname, a name). */
function syntaxOf(item: SnapshotItem, input: ProductInput): InputSyntax {
  const configurator = item.product.configurator;
  if (configurator.type === 'domain' && configurator.domainInput === input.key) return 'domain';
  if (configurator.type === 'productivitySuite' && configurator.adminDomainInput === input.key)
    return 'domain';
  if (configurator.type === 'server' && configurator.hostnameInput === input.key) return 'hostname';
  if (configurator.type === 'cloudService' && configurator.nameInput === input.key) return 'serviceName';
  return input.type;
}

/** Every product: required inputs given, each well-formed for its type. */
function inputIssues(item: SnapshotItem): BasketIssue[] {
  const issues: BasketIssue[] = [];
  for (const input of item.product.inputs) {
    const value = inputValue(item, input.key);
    if (value === '') {
      if (input.required !== false) {
        issues.push(issue(item, 'input_required', `${input.label} is required`, input.key));
      }
      continue;
    }
    const syntax = syntaxOf(item, input);
    if (syntax === 'domain') {
      const domain = normaliseDomain(value);
      if ('error' in domain)
        issues.push(issue(item, 'invalid_domain', `${input.label}: ${domain.error}`, input.key));
    } else if (syntax === 'hostname') {
      const host = normaliseHostname(value);
      if ('error' in host)
        issues.push(issue(item, 'invalid_hostname', `${input.label}: ${host.error}`, input.key));
    } else if (syntax === 'serviceName') {
      if (!SERVICE_NAME.test(value)) issues.push(serviceNameSyntaxIssue(item, input, value));
    } else if (CONTROL_CHARACTERS.test(value)) {
      issues.push(
        issue(item, 'invalid_input', `${input.label} must not contain control characters`, input.key),
      );
    }
  }
  return issues;
}

/** The TLDs a domain product sells: the choices of its TLD option. */
const soldTldsOfProduct = (options: readonly ProductOption[], tldOption: string) =>
  soldTldsOf(options.find((option) => option.key === tldOption)?.choices?.map((choice) => choice.key) ?? []);

const dotted = (sold: readonly SoldTld[]) => sold.map((entry) => `.${entry.tld}`).join(', ');

/** The name right under a sold TLD: `shop.example.co.uk` → `example.co.uk`. */
function registrablePart(domain: NormalisedDomain, tld: SoldTld): NormalisedDomain {
  const keep = tld.tld.split('.').length + 1;
  const tail = (name: string) => name.split('.').slice(-keep).join('.');
  return { ascii: tail(domain.ascii), unicode: tail(domain.unicode) };
}

function domainIssues(
  item: SnapshotItem,
  configurator: { domainInput: string; tldOption: string },
  registrarAnswers: RegistrarAnswers | undefined,
  domainsSeen: Set<string>,
): BasketIssue[] {
  const domain = validDomain(item.inputs[configurator.domainInput]);
  if (!domain) return [];
  const issues: BasketIssue[] = [];
  const field = configurator.domainInput;

  if (domainsSeen.has(domain.ascii)) {
    issues.push(
      issue(item, 'domain_duplicate', `${domain.unicode} is in the basket twice`, field, {
        label: 'Remove this one',
        action: { kind: 'removeItem', itemId: item.id },
      }),
    );
  }
  domainsSeen.add(domain.ascii);

  const sold = soldTldsOfProduct(item.product.options, configurator.tldOption);
  const tld = matchSoldTld(domain.ascii, sold);
  if (!tld) {
    const typed = domain.unicode.split('.').at(-1);
    issues.push(
      issue(
        item,
        'domain_tld_not_sold',
        `.${typed} domains are not sold here; the TLDs sold are ${dotted(sold) || 'none'}`,
        field,
      ),
    );
    return issues;
  }

  const registrable = registrablePart(domain, tld);
  if (registrable.ascii !== domain.ascii) {
    issues.push(
      issue(
        item,
        'domain_not_registrable',
        `Only a name right under .${tld.tld} can be registered: ${registrable.unicode}, not ${domain.unicode}`,
        field,
        {
          label: `Register ${registrable.unicode}`,
          action: {
            kind: 'updateItem',
            itemId: item.id,
            inputs: { ...item.inputs, [field]: registrable.unicode },
          },
        },
      ),
    );
  }

  const chosen = item.configuration.options[configurator.tldOption];
  if (chosen !== tld.choice) {
    const chosenTld = sold.find((entry) => entry.choice === chosen)?.tld;
    issues.push(
      issue(
        item,
        'domain_tld_mismatch',
        `${domain.unicode} is a .${tld.tld} domain, but ${chosenTld ? `.${chosenTld}` : 'another TLD'} is chosen`,
        configurator.tldOption,
        {
          label: `Choose .${tld.tld}`,
          action: {
            kind: 'updateItem',
            itemId: item.id,
            configuration: {
              dimensions: item.configuration.dimensions,
              options: { ...item.configuration.options, [configurator.tldOption]: tld.choice },
            },
          },
        },
      ),
    );
  }

  const answer = registrarAnswers?.get(registrable.ascii);
  if (answer && !answer.available) {
    const reason = answer.reason ? `: ${answer.reason}` : '';
    issues.push(issue(item, 'domain_unavailable', `${registrable.unicode} is not available${reason}`, field));
  }
  return issues;
}

/** "vCPU" says it all; "GB" needs its label ("RAM"). */
const unitIsLabel = (dimension: CapacityDimension) =>
  dimension.unit.toLowerCase() === dimension.label.toLowerCase();

/** "2 vCPU", "4 GB RAM". */
const amount = (dimension: CapacityDimension, value: number) =>
  `${formatRuleValue(value)} ${dimension.unit}${unitIsLabel(dimension) ? '' : ` ${dimension.label}`}`;

function serverIssues(
  item: SnapshotItem,
  configurator: { imageOption: string; imageRequirements: Record<string, Record<string, number>> },
): BasketIssue[] {
  const image = item.configuration.options[configurator.imageOption];
  if (typeof image !== 'string') return [];
  const requirements = configurator.imageRequirements[image] ?? {};
  const short: Array<{ dimension: CapacityDimension; minimum: number }> = [];
  for (const [key, minimum] of Object.entries(requirements)) {
    const dimension = item.product.dimensions.find((candidate) => candidate.key === key);
    const value = item.configuration.dimensions[key];
    if (dimension && value !== undefined && value < minimum && !nearlyEqual(value, minimum)) {
      short.push({ dimension, minimum });
    }
  }
  const first = short[0];
  if (!first) return [];

  const imageLabel =
    item.product.options
      .find((option) => option.key === configurator.imageOption)
      ?.choices?.find((choice) => choice.key === image)?.label ?? image;
  const message = `${imageLabel} needs at least ${short.map(({ dimension, minimum }) => amount(dimension, minimum)).join(' and ')}`;
  const dimensions = { ...item.configuration.dimensions };
  for (const { dimension, minimum } of short) dimensions[dimension.key] = snapUpToGrid(dimension, minimum);
  // a product whose maximum lies below the image's minimum cannot be fixed by resizing
  const fixable = short.every(({ dimension, minimum }) => (dimensions[dimension.key] ?? 0) >= minimum);
  const label = `Set ${short
    .map(({ dimension }) => {
      const value = formatRuleValue(dimensions[dimension.key] ?? 0);
      return `${dimension.label} to ${value}${unitIsLabel(dimension) ? '' : ` ${dimension.unit}`}`;
    })
    .join(' and ')}`;
  const fix: BasketFix | undefined = fixable
    ? {
        label,
        action: {
          kind: 'updateItem',
          itemId: item.id,
          configuration: { dimensions, options: item.configuration.options },
        },
      }
    : undefined;
  return [issue(item, 'image_requirements', message, first.dimension.key, fix)];
}

function serviceNameSyntaxIssue(item: SnapshotItem, input: ProductInput, value: string): BasketIssue {
  const lower = value.toLowerCase();
  const fix: BasketFix | undefined = SERVICE_NAME.test(lower)
    ? {
        label: `Use "${lower}"`,
        action: { kind: 'updateItem', itemId: item.id, inputs: { ...item.inputs, [input.key]: lower } },
      }
    : undefined;
  return issue(
    item,
    'invalid_service_name',
    `${input.label} "${value}" must be 3 to 63 lowercase letters, digits and hyphens, starting with a letter and ending with a letter or digit`,
    input.key,
    fix,
  );
}

function serviceNameIssues(
  item: SnapshotItem,
  nameInput: string,
  snapshot: BasketSnapshot,
  serviceNamesSeen: Set<string>,
): BasketIssue[] {
  const name = inputValue(item, nameInput);
  if (!SERVICE_NAME.test(name)) return [];
  const key = `${item.product.id}\n${name}`;
  if (!serviceNamesSeen.has(key)) {
    serviceNamesSeen.add(key);
    return [];
  }
  const taken = new Set(
    snapshot.items
      .filter((other) => other.product.id === item.product.id)
      .map((other) => inputValue(other, nameInput)),
  );
  let fix: BasketFix | undefined;
  for (let suffix = 2; suffix < 100 && !fix; suffix++) {
    const candidate = `${name.slice(0, 60 - String(suffix).length)}-${suffix}`;
    if (SERVICE_NAME.test(candidate) && !taken.has(candidate)) {
      fix = {
        label: `Rename to "${candidate}"`,
        action: { kind: 'updateItem', itemId: item.id, inputs: { ...item.inputs, [nameInput]: candidate } },
      };
    }
  }
  return [
    issue(
      item,
      'duplicate_service_name',
      `Another ${item.product.slug} in the basket is named "${name}"; each needs its own name`,
      nameInput,
      fix,
    ),
  ];
}

/** The buyer's domains and those of the basket's domain items, in ASCII. */
function ownedDomainsOf(snapshot: BasketSnapshot): Set<string> {
  const names = [...snapshot.ownedDomains];
  for (const { product, inputs } of snapshot.items) {
    if (product.configurator.type === 'domain') names.push(inputs[product.configurator.domainInput] ?? '');
  }
  return new Set(names.flatMap((name) => validDomain(name)?.ascii ?? []));
}

/** The domain itself, or one it is under (`mail.example.com` under `example.com`), is the buyer's. */
function covered(ascii: string, domains: ReadonlySet<string>): boolean {
  const labels = ascii.split('.');
  return labels.some((_, index) => domains.has(labels.slice(index).join('.')));
}

function adminDomainIssues(
  item: SnapshotItem,
  adminDomainInput: string,
  snapshot: BasketSnapshot,
  ownedOrInBasket: ReadonlySet<string>,
): BasketIssue[] {
  const domain = validDomain(item.inputs[adminDomainInput]);
  if (!domain || covered(domain.ascii, ownedOrInBasket)) return [];
  return [
    issue(
      item,
      'admin_domain_not_owned',
      `${domain.unicode} is neither a domain of your account nor in the basket: add it, or use a domain you own`,
      adminDomainInput,
      addDomainFix(domain, snapshot),
    ),
  ];
}

/** Adding the store's domain product for the domain, when the store sells its TLD. */
function addDomainFix(domain: NormalisedDomain, snapshot: BasketSnapshot): BasketFix | undefined {
  const product = snapshot.domainProduct;
  if (!product) return undefined;
  const { domainInput, tldOption } = product.configurator;
  const tld = matchSoldTld(domain.ascii, soldTldsOfProduct(product.options, tldOption));
  if (!tld) return undefined;
  const registrable = registrablePart(domain, tld);
  return {
    label: `Register ${registrable.unicode}`,
    action: {
      kind: 'addItem',
      product: product.slug,
      inputs: { [domainInput]: registrable.unicode },
      configuration: { options: { [tldOption]: tld.choice } },
    },
  };
}
