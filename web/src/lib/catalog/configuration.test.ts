import { describe, expect, it } from 'vitest';
import { virtualServer } from '#shared/catalog/demo-virtual-server.ts';
import {
  bigStep,
  configurationOf,
  defaultState,
  fractionOf,
  humanizeKey,
  inputsOf,
  keyStep,
  matchingPreset,
  missingInputs,
  snapToGrid,
  stateFrom,
  toggleChoice,
} from './configuration.ts';

const disk = { min: 20, max: 4000, step: 10 };
const tenths = { min: 0, max: 1, step: 0.1 };

describe('dimension values', () => {
  it('snap to the nearest grid value within range', () => {
    expect(snapToGrid(disk, 84)).toBe(80);
    expect(snapToGrid(disk, 86)).toBe(90);
    expect(snapToGrid(disk, 5)).toBe(20);
    expect(snapToGrid(disk, 99_999)).toBe(4000);
    expect(snapToGrid(disk, Number.NaN)).toBe(20);
    expect(snapToGrid(tenths, 0.1 + 0.2)).toBe(0.3);
    // a max off the grid: the last grid value below it
    expect(snapToGrid({ min: 1, max: 10, step: 4 }, 10)).toBe(9);
  });

  it('move with the keys of the slider pattern', () => {
    const vcpu = { min: 1, max: 64, step: 1 };
    expect(keyStep(vcpu, 2, 'ArrowRight')).toBe(3);
    expect(keyStep(vcpu, 2, 'ArrowUp')).toBe(3);
    expect(keyStep(vcpu, 2, 'ArrowLeft')).toBe(1);
    expect(keyStep(vcpu, 1, 'ArrowDown')).toBe(1);
    expect(keyStep(vcpu, 2, 'PageUp')).toBe(8);
    expect(keyStep(vcpu, 2, 'PageDown')).toBe(1);
    expect(keyStep(vcpu, 2, 'Home')).toBe(1);
    expect(keyStep(vcpu, 2, 'End')).toBe(64);
    expect(keyStep(vcpu, 2, 'a')).toBeUndefined();
    expect(bigStep({ min: 100, max: 10_000, step: 100 })).toBe(1000);
    expect(bigStep({ min: 0, max: 4, step: 1 })).toBe(1);
  });

  it('place a value in its range', () => {
    expect(fractionOf(disk, 20)).toBe(0);
    expect(fractionOf(disk, 4000)).toBe(1);
    expect(fractionOf({ min: 5, max: 5 }, 5)).toBe(0);
  });
});

describe('configuration state', () => {
  it('starts at the product’s defaults', () => {
    const state = defaultState(virtualServer);
    expect(state.dimensions).toMatchObject({ vcpu: 2, ram_gb: 4, disk_gb: 80 });
    expect(state.options).toMatchObject({ os: 'linux', backups: false, extras: [] });
  });

  it('lays a preset over the defaults and knows which preset it is', () => {
    const m = virtualServer.presets.find((preset) => preset.key === 'm');
    if (!m) throw new Error('preset m missing');
    const state = stateFrom(virtualServer, m.configuration);
    expect(state.dimensions).toMatchObject({ vcpu: 4, ram_gb: 16 });
    expect(matchingPreset(virtualServer, state)).toBe('m');
    state.dimensions.vcpu = 5;
    expect(matchingPreset(virtualServer, state)).toBeUndefined();
  });

  it('ignores keys the product does not have and snaps values', () => {
    const state = stateFrom(virtualServer, {
      dimensions: { vcpu: 2.4, nope: 3 },
      options: { os: 7 as never },
    });
    expect(state.dimensions.vcpu).toBe(2);
    expect(state.dimensions).not.toHaveProperty('nope');
    expect(state.options.os).toBe('linux');
  });

  it('becomes the API configuration, leaving out an unchosen single option', () => {
    expect(
      configurationOf({
        dimensions: { vcpu: 2 },
        options: { os: undefined, backups: true, extras: ['monitoring'] },
      }),
    ).toEqual({ dimensions: { vcpu: 2 }, options: { backups: true, extras: ['monitoring'] } });
  });

  it('keeps the product’s order of multi choices', () => {
    const extras = virtualServer.options.find((option) => option.key === 'extras');
    if (!extras) throw new Error('extras missing');
    const one = toggleChoice(extras, [], 'ddos_protection', true);
    expect(toggleChoice(extras, one, 'monitoring', true)).toEqual(['monitoring', 'ddos_protection']);
    expect(toggleChoice(extras, ['monitoring', 'ddos_protection'], 'monitoring', false)).toEqual([
      'ddos_protection',
    ]);
  });
});

describe('inputs', () => {
  const inputs = [
    { key: 'domain', label: 'Domain name', type: 'domain' as const, required: true },
    { key: 'hostname', label: 'Hostname', type: 'hostname' as const, required: false },
    { key: 'admin_domain', label: 'Email domain', type: 'domain' as const, required: true },
  ];

  it('names required inputs left empty', () => {
    expect(missingInputs(inputs, { domain: '  ', hostname: '', admin_domain: 'example.com' })).toEqual({
      domain: 'Enter a domain name.',
    });
    expect(missingInputs(inputs, { domain: 'a.com' })).toEqual({ admin_domain: 'Enter an email domain.' });
  });

  it('sends trimmed inputs, empty ones left out', () => {
    expect(inputsOf({ domain: ' example.com ', hostname: '' })).toEqual({ domain: 'example.com' });
  });

  it('makes a key readable', () => {
    expect(humanizeKey('admin_domain')).toBe('Admin domain');
  });
});
