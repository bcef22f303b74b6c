/**
 * The demo store's virtual server: six capacity dimensions priced with graduated tiers, an OS
 * image (Windows licensed per vCPU-hour), a backups toggle, extras, a setup fee, EUR and USD.
 * Used by the tests, the quote benchmark and, later, the demo seed.
 */
import type { PricedProduct } from './product.ts';

export const virtualServer: PricedProduct = {
  id: 'prd_demo_virtual_server',
  kind: 'iaas',
  dimensions: [
    { key: 'vcpu', label: 'vCPU', unit: 'vCPU', min: 1, max: 64, step: 1, default: 2, control: 'slider' },
    { key: 'ram_gb', label: 'RAM', unit: 'GB', min: 1, max: 256, step: 1, default: 4, control: 'slider' },
    {
      key: 'disk_gb',
      label: 'Disk',
      unit: 'GB',
      min: 20,
      max: 4000,
      step: 10,
      default: 80,
      control: 'slider',
    },
    {
      key: 'public_ips',
      label: 'Public IPv4 addresses',
      unit: 'IP',
      min: 0,
      max: 8,
      step: 1,
      default: 1,
      control: 'stepper',
    },
    {
      key: 'backup_gb',
      label: 'Backup storage',
      unit: 'GB',
      min: 0,
      max: 4000,
      step: 10,
      default: 0,
      control: 'slider',
    },
    {
      key: 'bandwidth_mbps',
      label: 'Bandwidth',
      unit: 'Mbit/s',
      min: 100,
      max: 10000,
      step: 100,
      default: 1000,
      control: 'dial',
    },
  ],
  options: [
    {
      key: 'os',
      label: 'Operating system',
      type: 'single',
      default: 'linux',
      choices: [
        { key: 'linux', label: 'Linux (Debian, Ubuntu, Rocky)' },
        { key: 'windows', label: 'Windows Server 2025' },
      ],
    },
    { key: 'backups', label: 'Daily backups', type: 'toggle', default: false },
    {
      key: 'extras',
      label: 'Extras',
      type: 'multi',
      choices: [
        { key: 'monitoring', label: 'Monitoring and alerting' },
        { key: 'ddos_protection', label: 'DDoS protection' },
      ],
    },
  ],
  prices: {
    EUR: {
      baseRate: '0.0050',
      setupFee: '19.00',
      stoppedRate: '0.0010',
      // Outbound traffic, as the provisioning platform reports it (billed by the hour used).
      meters: { egress_gb: { unitPrice: '0.0500' } },
      dimensions: {
        vcpu: {
          model: 'graduated',
          tiers: [
            { upTo: 8, unitPrice: '0.0120' },
            { upTo: 32, unitPrice: '0.0100' },
            { upTo: null, unitPrice: '0.0085' },
          ],
        },
        ram_gb: {
          model: 'graduated',
          tiers: [
            { upTo: 16, unitPrice: '0.0040' },
            { upTo: 64, unitPrice: '0.0035' },
            { upTo: null, unitPrice: '0.0030' },
          ],
        },
        disk_gb: {
          model: 'graduated',
          includedQuantity: 20,
          tiers: [
            { upTo: 500, unitPrice: '0.00011' },
            { upTo: 2000, unitPrice: '0.00009' },
            { upTo: null, unitPrice: '0.00007' },
          ],
        },
        public_ips: {
          model: 'graduated',
          tiers: [
            { upTo: 1, unitPrice: '0.0010' },
            { upTo: null, unitPrice: '0.0015' },
          ],
        },
        backup_gb: {
          model: 'graduated',
          tiers: [
            { upTo: 1000, unitPrice: '0.000050' },
            { upTo: null, unitPrice: '0.000040' },
          ],
        },
        bandwidth_mbps: {
          model: 'graduated',
          tiers: [
            { upTo: 1000, unitPrice: '0' },
            { upTo: 5000, unitPrice: '0.0000080', flatPrice: '0.0020' },
            { upTo: null, unitPrice: '0.0000060' },
          ],
        },
      },
      options: {
        os: { windows: { per: 'vcpu', price: { model: 'perUnit', unitPrice: '0.0060' } } },
        backups: { on: { per: 'disk_gb', price: { model: 'perUnit', unitPrice: '0.000030' } } },
        extras: {
          monitoring: { price: { model: 'perUnit', unitPrice: '0.0030' } },
          ddos_protection: { price: { model: 'perUnit', unitPrice: '0.0100' } },
        },
      },
    },
    USD: {
      baseRate: '0.0055',
      setupFee: '21.00',
      stoppedRate: '0.0011',
      meters: { egress_gb: { unitPrice: '0.0550' } },
      dimensions: {
        vcpu: {
          model: 'graduated',
          tiers: [
            { upTo: 8, unitPrice: '0.0130' },
            { upTo: 32, unitPrice: '0.0110' },
            { upTo: null, unitPrice: '0.0093' },
          ],
        },
        ram_gb: {
          model: 'graduated',
          tiers: [
            { upTo: 16, unitPrice: '0.0044' },
            { upTo: 64, unitPrice: '0.0038' },
            { upTo: null, unitPrice: '0.0033' },
          ],
        },
        disk_gb: {
          model: 'graduated',
          includedQuantity: 20,
          tiers: [
            { upTo: 500, unitPrice: '0.00012' },
            { upTo: 2000, unitPrice: '0.00010' },
            { upTo: null, unitPrice: '0.00008' },
          ],
        },
        public_ips: {
          model: 'graduated',
          tiers: [
            { upTo: 1, unitPrice: '0.0011' },
            { upTo: null, unitPrice: '0.0016' },
          ],
        },
        backup_gb: {
          model: 'graduated',
          tiers: [
            { upTo: 1000, unitPrice: '0.000055' },
            { upTo: null, unitPrice: '0.000044' },
          ],
        },
        bandwidth_mbps: {
          model: 'graduated',
          tiers: [
            { upTo: 1000, unitPrice: '0' },
            { upTo: 5000, unitPrice: '0.0000088', flatPrice: '0.0022' },
            { upTo: null, unitPrice: '0.0000066' },
          ],
        },
      },
      options: {
        os: { windows: { per: 'vcpu', price: { model: 'perUnit', unitPrice: '0.0066' } } },
        backups: { on: { per: 'disk_gb', price: { model: 'perUnit', unitPrice: '0.000033' } } },
        extras: {
          monitoring: { price: { model: 'perUnit', unitPrice: '0.0033' } },
          ddos_protection: { price: { model: 'perUnit', unitPrice: '0.0110' } },
        },
      },
    },
  },
  presets: [
    { key: 's', label: 'S', configuration: { dimensions: { vcpu: 2, ram_gb: 4, disk_gb: 80 } } },
    {
      key: 'm',
      label: 'M',
      configuration: { dimensions: { vcpu: 4, ram_gb: 16, disk_gb: 200 }, options: { backups: true } },
    },
    {
      key: 'l',
      label: 'L',
      configuration: {
        dimensions: { vcpu: 16, ram_gb: 64, disk_gb: 800, public_ips: 2, backup_gb: 500 },
        options: { backups: true, extras: ['monitoring'] },
      },
    },
  ],
};

/** The benchmark's configuration: all six dimensions in their second or third tier, Windows, backups. */
export const largeWindowsServer = {
  dimensions: { vcpu: 16, ram_gb: 96, disk_gb: 2500, public_ips: 4, backup_gb: 1500, bandwidth_mbps: 6000 },
  options: { os: 'windows', backups: true, extras: ['monitoring', 'ddos_protection'] },
};
