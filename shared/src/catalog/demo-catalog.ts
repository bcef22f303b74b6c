/**
 * The demo store's catalog as typed data: catalog settings (attribute definitions, synonyms),
 * a category tree three levels deep, seven products that show every price model and configurator
 * type, and the basket rules that go with them. Used by the tests and the demo seed.
 *
 * Rates are per hour (per unit-hour for dimensions), like a European cloud host's; a month is
 * 730 h. Yearly prices (domains) are the yearly amount / 8760 h, to 10 decimals, so that 730 h
 * come to a twelfth of the year (.com: 12.00 EUR / year → 0.0013698630 / h → 1.00 / month).
 * Products refer to each other and rules refer to products by slug, which stays fixed.
 */
import type { BasketRuleInput } from '../basket/basket.ts';
import type { CatalogSettings, Category, ProductDraftInput } from './catalog.ts';
import { virtualServer } from './demo-virtual-server.ts';

export const demoCatalogSettings: CatalogSettings = {
  sellerCountry: 'DE',
  currencies: ['EUR', 'USD'],
  attributes: [
    {
      key: 'region',
      label: { en: 'Region', de: 'Region' },
      type: 'enum',
      values: [
        { key: 'eu-central', label: { en: 'Frankfurt', de: 'Frankfurt' } },
        { key: 'eu-west', label: { en: 'Dublin', de: 'Dublin' } },
        { key: 'us-east', label: { en: 'Virginia', de: 'Virginia' } },
        { key: 'ap-southeast', label: { en: 'Singapore', de: 'Singapur' } },
      ],
      facet: true,
    },
    {
      key: 'os_family',
      label: { en: 'Operating system', de: 'Betriebssystem' },
      type: 'enum',
      values: [
        { key: 'linux', label: { en: 'Linux', de: 'Linux' } },
        { key: 'windows', label: { en: 'Windows', de: 'Windows' } },
        { key: 'any', label: { en: 'Linux or Windows', de: 'Linux oder Windows' } },
      ],
      facet: true,
    },
    {
      key: 'support_level',
      label: { en: 'Support level', de: 'Support-Stufe' },
      type: 'enum',
      values: [
        { key: 'basic', label: { en: 'Basic', de: 'Basis' } },
        { key: 'business', label: { en: 'Business', de: 'Business' } },
        { key: 'enterprise', label: { en: 'Enterprise', de: 'Enterprise' } },
      ],
      facet: true,
    },
    {
      key: 'managed',
      label: { en: 'Managed by us', de: 'Von uns verwaltet' },
      type: 'boolean',
      facet: true,
    },
    {
      key: 'sla_percent',
      label: { en: 'Availability (SLA)', de: 'Verfügbarkeit (SLA)' },
      type: 'number',
      unit: '%',
      facet: true,
    },
    {
      key: 'response_hours',
      label: { en: 'First response within', de: 'Erste Antwort innerhalb' },
      type: 'number',
      unit: 'h',
      facet: false,
    },
  ],
  synonyms: [
    ['vm', 'virtual server', 'vps', 'cloud server', 'instance', 'virtual machine'],
    ['postgres', 'postgresql', 'psql', 'database', 'db'],
    ['s3', 'object storage', 'bucket', 'blob'],
    ['email', 'mail', 'e-mail', 'office', 'mailbox'],
    ['domain', 'domain name', 'dns'],
    ['backup', 'snapshot', 'restore'],
    ['support', 'help', 'sla'],
    ['windows', 'windows server'],
  ],
};

export const demoCategories: Category[] = [
  {
    id: 'compute',
    parentId: null,
    name: { en: 'Compute', de: 'Rechenleistung' },
    description: { en: 'Servers and what keeps them safe.', de: 'Server und was sie schützt.' },
    position: 0,
  },
  {
    id: 'servers',
    parentId: 'compute',
    name: { en: 'Servers', de: 'Server' },
    position: 0,
  },
  {
    id: 'virtual-servers',
    parentId: 'servers',
    name: { en: 'Virtual servers', de: 'Virtuelle Server' },
    description: {
      en: 'KVM virtual servers with dedicated vCPUs, sized to the gigabyte.',
      de: 'Virtuelle KVM-Server mit dedizierten vCPUs, aufs Gigabyte genau dimensioniert.',
    },
    position: 0,
  },
  {
    id: 'server-backup',
    parentId: 'servers',
    name: { en: 'Backup', de: 'Backup' },
    description: {
      en: 'Snapshots and backups of your servers, kept as long as you need.',
      de: 'Snapshots und Backups Ihrer Server, so lange aufbewahrt wie nötig.',
    },
    position: 1,
  },
  {
    id: 'databases',
    parentId: null,
    name: { en: 'Databases', de: 'Datenbanken' },
    position: 1,
  },
  {
    id: 'managed-databases',
    parentId: 'databases',
    name: { en: 'Managed databases', de: 'Verwaltete Datenbanken' },
    description: {
      en: 'We patch, back up and fail over; you write queries.',
      de: 'Wir patchen, sichern und schalten um; Sie schreiben Abfragen.',
    },
    position: 0,
  },
  {
    id: 'postgresql',
    parentId: 'managed-databases',
    name: { en: 'PostgreSQL', de: 'PostgreSQL' },
    position: 0,
  },
  {
    id: 'storage',
    parentId: null,
    name: { en: 'Storage', de: 'Speicher' },
    position: 2,
  },
  {
    id: 'object-storage',
    parentId: 'storage',
    name: { en: 'Object storage', de: 'Objektspeicher' },
    description: {
      en: 'S3-compatible buckets for files, backups and static sites.',
      de: 'S3-kompatible Buckets für Dateien, Backups und statische Websites.',
    },
    position: 0,
  },
  {
    id: 'productivity',
    parentId: null,
    name: { en: 'Productivity', de: 'Produktivität' },
    position: 3,
  },
  {
    id: 'email-office',
    parentId: 'productivity',
    name: { en: 'Email & office', de: 'E-Mail & Office' },
    position: 0,
  },
  {
    id: 'domains',
    parentId: null,
    name: { en: 'Domains & DNS', de: 'Domains & DNS' },
    position: 4,
  },
  {
    id: 'domain-names',
    parentId: 'domains',
    name: { en: 'Domain names', de: 'Domainnamen' },
    position: 0,
  },
  {
    id: 'services',
    parentId: null,
    name: { en: 'Services', de: 'Services' },
    position: 5,
  },
  {
    id: 'support',
    parentId: 'services',
    name: { en: 'Support', de: 'Support' },
    position: 0,
  },
];

/** The virtual server of demo-virtual-server.ts (its pricing exactly), as a catalog product. */
const virtualServerProduct: ProductDraftInput = {
  slug: 'virtual-server',
  kind: virtualServer.kind,
  name: { en: 'Virtual server', de: 'Virtueller Server' },
  summary: {
    en: 'A KVM virtual server with dedicated vCPUs, NVMe disk and a public IPv4 address.',
    de: 'Ein virtueller KVM-Server mit dedizierten vCPUs, NVMe-Speicher und öffentlicher IPv4-Adresse.',
  },
  description: {
    en: 'Choose vCPUs, RAM and disk to the unit and pay by the hour. Linux images are included; Windows Server is licensed per vCPU. Daily backups, monitoring and DDoS protection are one switch away.',
    de: 'Wählen Sie vCPUs, RAM und Speicher aufs Stück genau und zahlen Sie stundenweise. Linux-Images sind inklusive; Windows Server wird pro vCPU lizenziert. Tägliche Backups, Monitoring und DDoS-Schutz sind nur einen Schalter entfernt.',
  },
  categoryIds: ['virtual-servers'],
  attributes: {
    region: 'eu-central',
    os_family: 'any',
    support_level: 'basic',
    managed: false,
    sla_percent: 99.9,
  },
  images: [{ url: '/images/products/virtual-server.svg', alt: 'A server rack unit with status lights' }],
  inputs: [
    {
      key: 'hostname',
      label: 'Hostname',
      type: 'hostname',
      required: false,
      placeholder: 'web-1.example.com',
    },
  ],
  configurator: {
    type: 'server',
    imageOption: 'os',
    imageRequirements: { windows: { vcpu: 2, ram_gb: 4 } },
    hostnameInput: 'hostname',
  },
  keywords: ['vps', 'vm', 'kvm', 'linux', 'windows', 'ubuntu', 'debian', 'compute'],
  // Outage credits: the downtime back, at least one credit, incidents from five minutes on.
  sla: { creditPercent: 100, minimumCredits: '1.00', minimumOutageMinutes: 5 },
  dimensions: virtualServer.dimensions,
  options: virtualServer.options,
  prices: virtualServer.prices,
  presets: virtualServer.presets,
};

const serverBackup: ProductDraftInput = {
  slug: 'server-backup',
  kind: 'iaas',
  name: { en: 'Server backup', de: 'Server-Backup' },
  summary: {
    en: 'Encrypted, versioned backups of your servers, kept from 7 to 90 days.',
    de: 'Verschlüsselte, versionierte Backups Ihrer Server, 7 bis 90 Tage aufbewahrt.',
  },
  description: {
    en: 'Incremental snapshots of your virtual servers, stored encrypted in a second fire zone. Pay for the storage you book, graduated: the more you keep, the less each gigabyte costs. The first 7 days of retention are included; an off-site copy in another region is optional.',
    de: 'Inkrementelle Snapshots Ihrer virtuellen Server, verschlüsselt in einem zweiten Brandabschnitt gespeichert. Sie zahlen den gebuchten Speicher gestaffelt: Je mehr Sie aufbewahren, desto günstiger das Gigabyte. Die ersten 7 Tage Aufbewahrung sind inklusive; eine Kopie in einer anderen Region ist optional.',
  },
  categoryIds: ['server-backup'],
  attributes: { region: 'eu-central', managed: true, sla_percent: 99.9 },
  images: [{ url: '/images/products/server-backup.svg', alt: 'A shield in front of a stack of disks' }],
  configurator: { type: 'generic' },
  keywords: ['backup', 'snapshot', 'restore', 'retention', 'disaster recovery'],
  // Stopped servers still keep their snapshots: storage that was unreachable counts too.
  sla: { creditPercent: 100, includeStopped: true },
  dimensions: [
    {
      key: 'storage_gb',
      label: 'Backup storage',
      unit: 'GB',
      min: 10,
      max: 10000,
      step: 10,
      default: 100,
      control: 'slider',
    },
    {
      key: 'retention_days',
      label: 'Retention',
      unit: 'days',
      min: 7,
      max: 90,
      step: 1,
      default: 30,
      control: 'slider',
    },
  ],
  options: [{ key: 'offsite_copy', label: 'Off-site copy', type: 'toggle', default: false }],
  prices: {
    EUR: {
      baseRate: '0.0010',
      setupFee: '0.00',
      dimensions: {
        storage_gb: {
          model: 'graduated',
          tiers: [
            { upTo: 1000, unitPrice: '0.000050' },
            { upTo: 5000, unitPrice: '0.000040' },
            { upTo: null, unitPrice: '0.000030' },
          ],
        },
        retention_days: { model: 'perUnit', unitPrice: '0.000050', includedQuantity: 7 },
      },
      options: {
        offsite_copy: { on: { per: 'storage_gb', price: { model: 'perUnit', unitPrice: '0.000020' } } },
      },
    },
    USD: {
      baseRate: '0.0011',
      setupFee: '0.00',
      dimensions: {
        storage_gb: {
          model: 'graduated',
          tiers: [
            { upTo: 1000, unitPrice: '0.000055' },
            { upTo: 5000, unitPrice: '0.000044' },
            { upTo: null, unitPrice: '0.000033' },
          ],
        },
        retention_days: { model: 'perUnit', unitPrice: '0.000055', includedQuantity: 7 },
      },
      options: {
        offsite_copy: { on: { per: 'storage_gb', price: { model: 'perUnit', unitPrice: '0.000022' } } },
      },
    },
  },
  presets: [
    {
      key: 'week',
      label: 'One week',
      configuration: { dimensions: { storage_gb: 100, retention_days: 7 } },
    },
    {
      key: 'quarter',
      label: 'Three months, off-site',
      configuration: { dimensions: { storage_gb: 500, retention_days: 90 }, options: { offsite_copy: true } },
    },
  ],
};

const managedPostgresql: ProductDraftInput = {
  slug: 'managed-postgresql',
  kind: 'paas',
  name: { en: 'Managed PostgreSQL', de: 'Managed PostgreSQL' },
  summary: {
    en: 'PostgreSQL with automatic backups, updates, read replicas and failover.',
    de: 'PostgreSQL mit automatischen Backups, Updates, Lesereplikaten und Failover.',
  },
  description: {
    en: 'A PostgreSQL cluster we run for you: minor updates in your maintenance window, point-in-time recovery for 7 days, TLS everywhere. Add read replicas to spread the load and high availability for automatic failover within seconds.',
    de: 'Ein PostgreSQL-Cluster, den wir für Sie betreiben: Minor-Updates im Wartungsfenster, Point-in-Time-Recovery über 7 Tage, TLS überall. Lesereplikate verteilen die Last, Hochverfügbarkeit schaltet binnen Sekunden automatisch um.',
  },
  categoryIds: ['postgresql'],
  attributes: { region: 'eu-central', support_level: 'basic', managed: true, sla_percent: 99.95 },
  images: [{ url: '/images/products/managed-postgresql.svg', alt: 'A database cylinder with a gear' }],
  inputs: [
    {
      key: 'name',
      label: 'Service name',
      type: 'text',
      required: true,
      placeholder: 'orders-db',
    },
  ],
  configurator: { type: 'cloudService', nameInput: 'name' },
  keywords: ['postgres', 'psql', 'sql', 'database', 'dbaas', 'rds'],
  // A managed database promises more: twice the downtime back.
  sla: { creditPercent: 200, minimumCredits: '2.00', minimumOutageMinutes: 1 },
  dimensions: [
    { key: 'vcpu', label: 'vCPU', unit: 'vCPU', min: 1, max: 32, step: 1, default: 2, control: 'slider' },
    { key: 'ram_gb', label: 'RAM', unit: 'GB', min: 2, max: 128, step: 2, default: 4, control: 'slider' },
    {
      key: 'storage_gb',
      label: 'Storage',
      unit: 'GB',
      min: 10,
      max: 4000,
      step: 10,
      default: 20,
      control: 'slider',
    },
    {
      key: 'replicas',
      label: 'Read replicas',
      unit: 'replicas',
      min: 0,
      max: 4,
      step: 1,
      default: 0,
      control: 'stepper',
    },
  ],
  options: [
    {
      key: 'version',
      label: 'PostgreSQL version',
      type: 'single',
      default: 'v17',
      choices: [
        { key: 'v15', label: 'PostgreSQL 15' },
        { key: 'v16', label: 'PostgreSQL 16' },
        { key: 'v17', label: 'PostgreSQL 17' },
      ],
    },
    { key: 'high_availability', label: 'High availability', type: 'toggle', default: false },
  ],
  prices: {
    EUR: {
      baseRate: '0.0080',
      setupFee: '0.00',
      dimensions: {
        vcpu: {
          model: 'graduated',
          tiers: [
            { upTo: 8, unitPrice: '0.0180' },
            { upTo: null, unitPrice: '0.0150' },
          ],
        },
        ram_gb: {
          model: 'graduated',
          tiers: [
            { upTo: 32, unitPrice: '0.0060' },
            { upTo: null, unitPrice: '0.0050' },
          ],
        },
        storage_gb: {
          model: 'graduated',
          tiers: [
            { upTo: 500, unitPrice: '0.00020' },
            { upTo: null, unitPrice: '0.00016' },
          ],
        },
        replicas: {
          model: 'graduated',
          tiers: [
            { upTo: 1, unitPrice: '0.0400' },
            { upTo: null, unitPrice: '0.0350' },
          ],
        },
      },
      options: {
        high_availability: { on: { price: { model: 'perUnit', unitPrice: '0.0100' } } },
      },
    },
    USD: {
      baseRate: '0.0088',
      setupFee: '0.00',
      dimensions: {
        vcpu: {
          model: 'graduated',
          tiers: [
            { upTo: 8, unitPrice: '0.0198' },
            { upTo: null, unitPrice: '0.0165' },
          ],
        },
        ram_gb: {
          model: 'graduated',
          tiers: [
            { upTo: 32, unitPrice: '0.0066' },
            { upTo: null, unitPrice: '0.0055' },
          ],
        },
        storage_gb: {
          model: 'graduated',
          tiers: [
            { upTo: 500, unitPrice: '0.00022' },
            { upTo: null, unitPrice: '0.000176' },
          ],
        },
        replicas: {
          model: 'graduated',
          tiers: [
            { upTo: 1, unitPrice: '0.0440' },
            { upTo: null, unitPrice: '0.0385' },
          ],
        },
      },
      options: {
        high_availability: { on: { price: { model: 'perUnit', unitPrice: '0.0110' } } },
      },
    },
  },
  presets: [
    {
      key: 'dev',
      label: 'Development',
      configuration: { dimensions: { vcpu: 1, ram_gb: 2, storage_gb: 10 } },
    },
    {
      key: 'production',
      label: 'Production',
      configuration: {
        dimensions: { vcpu: 4, ram_gb: 16, storage_gb: 200, replicas: 1 },
        options: { high_availability: true },
      },
    },
    {
      key: 'business',
      label: 'Business critical',
      configuration: {
        dimensions: { vcpu: 16, ram_gb: 64, storage_gb: 1000, replicas: 2 },
        options: { high_availability: true },
      },
    },
  ],
};

const objectStorage: ProductDraftInput = {
  slug: 'object-storage',
  kind: 'iaas',
  name: { en: 'Object storage', de: 'Objektspeicher' },
  summary: {
    en: 'S3-compatible object storage: the more you store, the less every gigabyte costs.',
    de: 'S3-kompatibler Objektspeicher: Je mehr Sie speichern, desto günstiger jedes Gigabyte.',
  },
  description: {
    en: 'Buckets that speak the S3 API, for backups, media and static websites. Storage is volume-priced: the tier you reach prices every gigabyte. 10 million requests and 100 GB of egress a month are included; more egress is sold in blocks of 100 GB.',
    de: 'Buckets mit S3-API für Backups, Medien und statische Websites. Der Speicher hat Mengenpreise: Die erreichte Stufe bestimmt den Preis jedes Gigabytes. 10 Millionen Anfragen und 100 GB ausgehender Traffic im Monat sind inklusive; mehr Traffic gibt es in Blöcken zu 100 GB.',
  },
  categoryIds: ['object-storage'],
  attributes: { region: 'eu-central', managed: true, sla_percent: 99.9 },
  images: [{ url: '/images/products/object-storage.svg', alt: 'An open bucket holding files' }],
  configurator: { type: 'generic' },
  keywords: ['s3', 'bucket', 'blob', 'files', 'cdn', 'static website'],
  sla: { creditPercent: 100, includeStopped: true },
  dimensions: [
    {
      key: 'storage_gb',
      label: 'Storage',
      unit: 'GB',
      min: 0,
      max: 1_000_000,
      step: 100,
      default: 1000,
      control: 'dial',
    },
    {
      key: 'requests_million',
      label: 'Requests per month',
      unit: 'million',
      min: 0,
      max: 10_000,
      step: 1,
      default: 10,
      control: 'slider',
    },
    {
      key: 'egress_gb',
      label: 'Egress per month',
      unit: 'GB',
      min: 0,
      max: 100_000,
      step: 10,
      default: 200,
      control: 'slider',
    },
  ],
  options: [
    {
      key: 'redundancy',
      label: 'Redundancy',
      type: 'single',
      default: 'single_region',
      choices: [
        { key: 'single_region', label: 'Three zones in one region' },
        { key: 'multi_region', label: 'Replicated to a second region' },
      ],
    },
    { key: 'versioning', label: 'Object versioning', type: 'toggle', default: false },
  ],
  prices: {
    EUR: {
      baseRate: '0.0020',
      setupFee: '0.00',
      dimensions: {
        storage_gb: {
          model: 'volume',
          tiers: [
            { upTo: 1000, unitPrice: '0.0000140' },
            { upTo: 50_000, unitPrice: '0.0000120' },
            { upTo: 500_000, unitPrice: '0.0000100' },
            { upTo: null, unitPrice: '0.0000085' },
          ],
        },
        /** 0.40 per million requests a month. */
        requests_million: { model: 'perUnit', unitPrice: '0.0005479452', includedQuantity: 10 },
        /** 1.00 per started 100 GB a month. */
        egress_gb: { model: 'package', blockSize: 100, blockPrice: '0.0013698630', includedQuantity: 100 },
      },
      options: {
        redundancy: {
          multi_region: { per: 'storage_gb', price: { model: 'perUnit', unitPrice: '0.0000070' } },
        },
      },
    },
    USD: {
      baseRate: '0.0022',
      setupFee: '0.00',
      dimensions: {
        storage_gb: {
          model: 'volume',
          tiers: [
            { upTo: 1000, unitPrice: '0.0000155' },
            { upTo: 50_000, unitPrice: '0.0000132' },
            { upTo: 500_000, unitPrice: '0.0000110' },
            { upTo: null, unitPrice: '0.0000094' },
          ],
        },
        requests_million: { model: 'perUnit', unitPrice: '0.0006027397', includedQuantity: 10 },
        egress_gb: { model: 'package', blockSize: 100, blockPrice: '0.0015068493', includedQuantity: 100 },
      },
      options: {
        redundancy: {
          multi_region: { per: 'storage_gb', price: { model: 'perUnit', unitPrice: '0.0000077' } },
        },
      },
    },
  },
  presets: [
    {
      key: 'starter',
      label: '1 TB',
      configuration: { dimensions: { storage_gb: 1000, requests_million: 10, egress_gb: 100 } },
    },
    {
      key: 'media',
      label: '20 TB media archive',
      configuration: {
        dimensions: { storage_gb: 20_000, requests_million: 50, egress_gb: 2000 },
        options: { redundancy: 'multi_region', versioning: true },
      },
    },
  ],
};

const mailSuite: ProductDraftInput = {
  slug: 'mail-suite',
  kind: 'saas',
  name: { en: 'Mail & office suite', de: 'Mail- & Office-Suite' },
  summary: {
    en: 'Business email, calendars and office apps on your own domain, hosted in Germany.',
    de: 'Geschäfts-E-Mail, Kalender und Office-Apps unter Ihrer eigenen Domain, gehostet in Deutschland.',
  },
  description: {
    en: 'Mailboxes on your domain with spam and virus filtering, shared calendars and contacts, and browser-based documents, spreadsheets and slides. Priced per seat and graduated: seats beyond 10, 50 and 250 cost less. Add more mailbox storage or an audit-proof archive for every seat.',
    de: 'Postfächer unter Ihrer Domain mit Spam- und Virenfilter, gemeinsame Kalender und Kontakte sowie Dokumente, Tabellen und Präsentationen im Browser. Preis pro Arbeitsplatz, gestaffelt: Plätze über 10, 50 und 250 kosten weniger. Mehr Postfachspeicher oder ein revisionssicheres Archiv gibt es für jeden Platz.',
  },
  categoryIds: ['email-office'],
  attributes: { region: 'eu-central', support_level: 'basic', managed: true, sla_percent: 99.9 },
  images: [{ url: '/images/products/mail-suite.svg', alt: 'An envelope next to a document' }],
  inputs: [
    {
      key: 'admin_domain',
      label: 'Mail domain',
      type: 'domain',
      required: true,
      placeholder: 'example.com',
    },
  ],
  configurator: { type: 'productivitySuite', seatsDimension: 'seats', adminDomainInput: 'admin_domain' },
  keywords: ['email', 'mailbox', 'calendar', 'office', 'exchange', 'imap', 'groupware'],
  sla: { creditPercent: 100, minimumCredits: '0.50', minimumOutageMinutes: 15 },
  dimensions: [
    { key: 'seats', label: 'Seats', unit: 'seat', min: 1, max: 500, step: 1, default: 1, control: 'stepper' },
  ],
  options: [
    {
      key: 'mailbox_storage',
      label: 'Storage per seat',
      type: 'single',
      default: 'gb50',
      choices: [
        { key: 'gb50', label: '50 GB' },
        { key: 'gb100', label: '100 GB' },
        { key: 'gb1000', label: '1 TB' },
      ],
    },
    { key: 'archive', label: 'Email archive', type: 'toggle', default: false },
  ],
  prices: {
    EUR: {
      baseRate: '0',
      setupFee: '0.00',
      dimensions: {
        seats: {
          model: 'graduated',
          tiers: [
            { upTo: 10, unitPrice: '0.0068' },
            { upTo: 50, unitPrice: '0.0062' },
            { upTo: 250, unitPrice: '0.0055' },
            { upTo: null, unitPrice: '0.0048' },
          ],
        },
      },
      options: {
        mailbox_storage: {
          gb100: { per: 'seats', price: { model: 'perUnit', unitPrice: '0.0014' } },
          gb1000: { per: 'seats', price: { model: 'perUnit', unitPrice: '0.0041' } },
        },
        archive: { on: { per: 'seats', price: { model: 'perUnit', unitPrice: '0.0021' } } },
      },
    },
    USD: {
      baseRate: '0',
      setupFee: '0.00',
      dimensions: {
        seats: {
          model: 'graduated',
          tiers: [
            { upTo: 10, unitPrice: '0.0075' },
            { upTo: 50, unitPrice: '0.0068' },
            { upTo: 250, unitPrice: '0.0060' },
            { upTo: null, unitPrice: '0.0053' },
          ],
        },
      },
      options: {
        mailbox_storage: {
          gb100: { per: 'seats', price: { model: 'perUnit', unitPrice: '0.0015' } },
          gb1000: { per: 'seats', price: { model: 'perUnit', unitPrice: '0.0045' } },
        },
        archive: { on: { per: 'seats', price: { model: 'perUnit', unitPrice: '0.0023' } } },
      },
    },
  },
  presets: [
    { key: 'starter', label: 'Starter mail', configuration: { dimensions: { seats: 5 } } },
    {
      key: 'team',
      label: 'Team',
      configuration: { dimensions: { seats: 25 }, options: { mailbox_storage: 'gb100', archive: true } },
    },
  ],
};

/** Yearly prices / 8760 h, to 10 decimals (EUR / USD per year in the comments). */
const domainName: ProductDraftInput = {
  slug: 'domain-name',
  kind: 'saas',
  name: { en: 'Domain name', de: 'Domainname' },
  summary: {
    en: 'Register your domain in seconds, with DNS hosting included.',
    de: 'Registrieren Sie Ihre Domain in Sekunden, DNS-Hosting inklusive.',
  },
  description: {
    en: 'Register a .com, .net, .org, .de, .eu, .io or .co.uk domain, billed by the hour at the yearly price. DNS with DNSSEC, email forwarding and an editor for your records are included; WHOIS privacy hides your address where the registry publishes it.',
    de: 'Registrieren Sie eine .com-, .net-, .org-, .de-, .eu-, .io- oder .co.uk-Domain, stundengenau zum Jahrespreis abgerechnet. DNS mit DNSSEC, E-Mail-Weiterleitung und ein Editor für Ihre Einträge sind inklusive; WHOIS-Privacy verbirgt Ihre Adresse, wo die Registry sie veröffentlicht.',
  },
  categoryIds: ['domain-names'],
  attributes: {},
  images: [{ url: '/images/products/domain-name.svg', alt: 'A globe with an address bar' }],
  inputs: [
    {
      key: 'domain',
      label: 'Domain name',
      type: 'domain',
      required: true,
      placeholder: 'example.com',
    },
  ],
  configurator: { type: 'domain', domainInput: 'domain', tldOption: 'tld' },
  keywords: ['domain', 'dns', 'tld', 'registrar', 'whois', 'com', 'de'],
  dimensions: [],
  options: [
    {
      key: 'tld',
      label: 'Extension',
      type: 'single',
      default: 'com',
      choices: [
        { key: 'com', label: '.com' },
        { key: 'net', label: '.net' },
        { key: 'org', label: '.org' },
        { key: 'de', label: '.de' },
        { key: 'eu', label: '.eu' },
        { key: 'io', label: '.io' },
        { key: 'co_uk', label: '.co.uk' },
      ],
    },
    { key: 'whois_privacy', label: 'WHOIS privacy', type: 'toggle', default: false },
  ],
  prices: {
    EUR: {
      baseRate: '0',
      setupFee: '0.00',
      dimensions: {},
      options: {
        tld: {
          com: { price: { model: 'perUnit', unitPrice: '0.0013698630' } }, // 12.00 / year
          net: { price: { model: 'perUnit', unitPrice: '0.0015981735' } }, // 14.00
          org: { price: { model: 'perUnit', unitPrice: '0.0014840183' } }, // 13.00
          de: { price: { model: 'perUnit', unitPrice: '0.0009132420' } }, // 8.00
          eu: { price: { model: 'perUnit', unitPrice: '0.0010273973' } }, // 9.00
          io: { price: { model: 'perUnit', unitPrice: '0.0051369863' } }, // 45.00
          co_uk: { price: { model: 'perUnit', unitPrice: '0.0011415525' } }, // 10.00
        },
        whois_privacy: { on: { price: { model: 'perUnit', unitPrice: '0.0003424658' } } }, // 3.00
      },
    },
    USD: {
      baseRate: '0',
      setupFee: '0.00',
      dimensions: {},
      options: {
        tld: {
          com: { price: { model: 'perUnit', unitPrice: '0.0014840183' } }, // 13.00 / year
          net: { price: { model: 'perUnit', unitPrice: '0.0017123288' } }, // 15.00
          org: { price: { model: 'perUnit', unitPrice: '0.0015981735' } }, // 14.00
          de: { price: { model: 'perUnit', unitPrice: '0.0010273973' } }, // 9.00
          eu: { price: { model: 'perUnit', unitPrice: '0.0011415525' } }, // 10.00
          io: { price: { model: 'perUnit', unitPrice: '0.0055936073' } }, // 49.00
          co_uk: { price: { model: 'perUnit', unitPrice: '0.0012557078' } }, // 11.00
        },
        whois_privacy: { on: { price: { model: 'perUnit', unitPrice: '0.0003767123' } } }, // 3.30
      },
    },
  },
  presets: [],
};

const supportPlan: ProductDraftInput = {
  slug: 'support-plan',
  kind: 'saas',
  name: { en: 'Support plan', de: 'Support-Vertrag' },
  summary: {
    en: 'Engineers who know your setup, around the clock: first answer within 4 hours, or 1 with Enterprise.',
    de: 'Techniker, die Ihr Setup kennen, rund um die Uhr: erste Antwort binnen 4 Stunden, mit Enterprise binnen 1.',
  },
  description: {
    en: 'Business support answers by phone, chat and ticket 24/7, first response within 4 hours. Enterprise adds a first response within 1 hour for outages, a named technical account manager and a quarterly architecture review. Covers every service in your account.',
    de: 'Business-Support antwortet rund um die Uhr per Telefon, Chat und Ticket, erste Antwort binnen 4 Stunden. Enterprise bietet zusätzlich eine erste Antwort binnen 1 Stunde bei Ausfällen, einen festen Technical Account Manager und ein vierteljährliches Architektur-Review. Gilt für alle Dienste Ihres Kontos.',
  },
  categoryIds: ['support'],
  attributes: { support_level: 'business', response_hours: 4 },
  images: [{ url: '/images/products/support-plan.svg', alt: 'A headset with a speech bubble' }],
  configurator: { type: 'generic' },
  keywords: ['support', 'help', 'sla', 'technical account manager', '24/7', 'hotline'],
  dimensions: [],
  options: [
    {
      key: 'tier',
      label: 'Plan',
      type: 'single',
      default: 'business',
      choices: [
        { key: 'business', label: 'Business (4 h response)' },
        { key: 'enterprise', label: 'Enterprise (1 h response, TAM)' },
      ],
    },
  ],
  prices: {
    EUR: {
      baseRate: '0.0671232877', // 49.00 / month
      setupFee: '0.00',
      dimensions: {},
      options: { tier: { enterprise: { price: { model: 'perUnit', unitPrice: '0.3424657534' } } } }, // + 250.00
    },
    USD: {
      baseRate: '0.0753424658', // 55.00 / month
      setupFee: '0.00',
      dimensions: {},
      options: { tier: { enterprise: { price: { model: 'perUnit', unitPrice: '0.3767123288' } } } }, // + 275.00
    },
  },
  presets: [
    { key: 'business', label: 'Business', configuration: { options: { tier: 'business' } } },
    { key: 'enterprise', label: 'Enterprise', configuration: { options: { tier: 'enterprise' } } },
  ],
};

/** The demo store's products, as drafts (no id or status yet); slugs are what rules refer to. */
export const demoProducts: ProductDraftInput[] = [
  virtualServerProduct,
  serverBackup,
  managedPostgresql,
  objectStorage,
  mailSuite,
  domainName,
  supportPlan,
];

/** The demo store's basket rules (docs/basket-rules.md has the language). */
export const demoBasketRules: BasketRuleInput[] = [
  {
    id: 'ram-per-vcpu',
    description: 'A virtual server gets at most 8 GB of RAM per vCPU.',
    scope: { products: ['virtual-server'] },
    assert: 'ram_gb <= 8 * vcpu',
    severity: 'error',
    message: 'At most 8 GB RAM per vCPU: {ram_gb} GB needs at least {ceil(ram_gb / 8)} vCPU.',
    fix: { label: 'Set vCPU to {ceil(ram_gb / 8)}', set: { vcpu: 'ceil(ram_gb / 8)' } },
  },
  {
    id: 'windows-min-vcpu',
    description: 'Windows Server needs 2 vCPU or more.',
    scope: { products: ['virtual-server'] },
    when: "os == 'windows'",
    assert: 'vcpu >= 2',
    severity: 'error',
    message: 'Windows Server needs at least 2 vCPU, not {vcpu}.',
    fix: { label: 'Set vCPU to 2', set: { vcpu: '2' } },
  },
  {
    id: 'backup-needs-server',
    description:
      'Server backup protects virtual servers, so the basket needs one. Counted by the virtual-servers ' +
      'category, not servers: the backup itself sits under servers.',
    scope: { products: ['server-backup'] },
    assert: "count('category:virtual-servers') >= 1",
    severity: 'error',
    message: 'Server backup protects a virtual server: add one to your basket.',
    fix: { label: 'Add a virtual server (S)', add: { product: 'virtual-server', preset: 's' } },
  },
  {
    id: 'seats-cover-users',
    description: 'Every user of the account should get a mailbox.',
    scope: { products: ['mail-suite'] },
    assert: 'seats >= account.users',
    severity: 'warning',
    message: 'Your account has {account.users} users but only {seats} seats: not everyone gets a mailbox.',
    fix: { label: 'Set seats to {account.users}', set: { seats: 'account.users' } },
  },
  {
    id: 'support-upsell',
    description: 'Two or more infrastructure or platform services: offer a support plan.',
    when: "count('kind:iaas') + count('kind:paas') >= 2",
    assert: "has('product:support-plan')",
    severity: 'suggestion',
    message:
      "You are running {count('kind:iaas') + count('kind:paas')} services: a support plan gets you an engineer within 4 hours, day and night.",
    fix: { label: 'Add a support plan', add: { product: 'support-plan', preset: 'business' } },
  },
  {
    id: 'postgres-ha-replicas',
    description: 'High availability fails over to a replica, so it needs one.',
    scope: { products: ['managed-postgresql'] },
    when: 'high_availability',
    assert: 'replicas >= 1',
    severity: 'error',
    message: 'High availability fails over to a replica: add at least one.',
    fix: { label: 'Add 1 read replica', set: { replicas: '1' } },
  },
];
