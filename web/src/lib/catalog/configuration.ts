/**
 * The configurator's state: dimension values on their step grid, option choices and typed inputs,
 * and what the controls need (keyboard steps of a dial, the preset that matches, a summary of an
 * item). Prices are not computed here: the page runs the shared pricing engine.
 */
import type { ProductInput } from '#shared/catalog/catalog.ts';
import type {
  CapacityDimension,
  Configuration,
  OptionValue,
  Preset,
  PricedProduct,
  ProductOption,
} from '#shared/catalog/product.ts';

export type { CapacityDimension, Configuration, OptionValue, Preset, ProductInput, ProductOption };

export type ConfigState = {
  dimensions: Record<string, number>;
  /** Every option: single → choice key (or undefined while none is chosen), multi → keys, toggle → boolean. */
  options: Record<string, OptionValue | undefined>;
};

type Shape = Pick<PricedProduct, 'dimensions' | 'options'>;

function decimalPlaces(value: number): number {
  if (Number.isInteger(value)) return 0;
  const text = String(value);
  const exponent = /e-(\d+)$/.exec(text);
  if (exponent) return Number(exponent[1]) + (text.split('e')[0]?.split('.')[1]?.length ?? 0);
  return text.split('.')[1]?.length ?? 0;
}

/**
 * The grid value nearest to `value`, within [min, max]. Computed on integers (the grid scaled by a
 * power of ten), so 0.1 steps give 0.3, not 0.30000000000000004.
 *
 * @example snapToGrid({ min: 20, max: 4000, step: 10 }, 84) // 80
 */
export function snapToGrid(
  dimension: Pick<CapacityDimension, 'min' | 'max' | 'step'>,
  value: number,
): number {
  const { min, max, step } = dimension;
  if (!Number.isFinite(value)) return min;
  const places = Math.min(9, Math.max(decimalPlaces(min), decimalPlaces(step)));
  const scale = 10 ** places;
  const minUnits = Math.round(min * scale);
  const stepUnits = Math.round(step * scale);
  const maxSteps = Math.floor((Math.round(max * scale) - minUnits) / stepUnits);
  const steps = Math.min(maxSteps, Math.max(0, Math.round((value * scale - minUnits) / stepUnits)));
  return (minUnits + steps * stepUnits) / scale;
}

/** How far PageUp / PageDown move: about a tenth of the range, on the grid, at least one step. */
export function bigStep(dimension: Pick<CapacityDimension, 'min' | 'max' | 'step'>): number {
  const steps = Math.max(1, Math.round((dimension.max - dimension.min) / dimension.step / 10));
  return steps * dimension.step;
}

/**
 * The value a key press gives a slider-like control (the WAI-ARIA slider pattern): arrows one
 * step, PageUp / PageDown a big step, Home / End the ends. Undefined for other keys.
 */
export function keyStep(
  dimension: Pick<CapacityDimension, 'min' | 'max' | 'step'>,
  value: number,
  key: string,
): number | undefined {
  switch (key) {
    case 'ArrowUp':
    case 'ArrowRight':
      return snapToGrid(dimension, value + dimension.step);
    case 'ArrowDown':
    case 'ArrowLeft':
      return snapToGrid(dimension, value - dimension.step);
    case 'PageUp':
      return snapToGrid(dimension, value + bigStep(dimension));
    case 'PageDown':
      return snapToGrid(dimension, value - bigStep(dimension));
    case 'Home':
      return snapToGrid(dimension, dimension.min);
    case 'End':
      return snapToGrid(dimension, dimension.max);
    default:
      return undefined;
  }
}

/** Where a value sits in its range, 0 to 1 (for a dial's angle or a slider's fill). */
export function fractionOf(dimension: Pick<CapacityDimension, 'min' | 'max'>, value: number): number {
  const span = dimension.max - dimension.min;
  if (span <= 0) return 0;
  return Math.min(1, Math.max(0, (value - dimension.min) / span));
}

function defaultOption(option: ProductOption): OptionValue | undefined {
  if (option.type === 'toggle') return typeof option.default === 'boolean' ? option.default : false;
  if (option.type === 'multi') return Array.isArray(option.default) ? [...option.default] : [];
  return typeof option.default === 'string' ? option.default : undefined;
}

/** Every dimension at its default, every option at its default (a single option may stay unchosen). */
export function defaultState(product: Shape): ConfigState {
  return {
    dimensions: Object.fromEntries(product.dimensions.map((dimension) => [dimension.key, dimension.default])),
    options: Object.fromEntries(product.options.map((option) => [option.key, defaultOption(option)])),
  };
}

/** The defaults with `configuration` laid over them (keys the product does not have are ignored). */
export function stateFrom(product: Shape, configuration: Configuration | undefined): ConfigState {
  const state = defaultState(product);
  for (const dimension of product.dimensions) {
    const value = configuration?.dimensions?.[dimension.key];
    if (typeof value === 'number') state.dimensions[dimension.key] = snapToGrid(dimension, value);
  }
  for (const option of product.options) {
    const value = configuration?.options?.[option.key];
    if (value === undefined) continue;
    if (option.type === 'toggle' && typeof value === 'boolean') state.options[option.key] = value;
    if (option.type === 'single' && typeof value === 'string') state.options[option.key] = value;
    if (option.type === 'multi' && Array.isArray(value)) state.options[option.key] = [...value];
  }
  return state;
}

/** The state as the API's configuration (an unchosen single option is left out). */
export function configurationOf(state: ConfigState): Configuration {
  const options: Record<string, OptionValue> = {};
  for (const [key, value] of Object.entries(state.options)) {
    if (value !== undefined) options[key] = Array.isArray(value) ? [...value] : value;
  }
  return { dimensions: { ...state.dimensions }, options };
}

/** Adds or removes a choice of a multi option, keeping the product's order of choices. */
export function toggleChoice(
  option: ProductOption,
  current: OptionValue | undefined,
  choice: string,
  on: boolean,
) {
  const selected = new Set(Array.isArray(current) ? current : []);
  if (on) selected.add(choice);
  else selected.delete(choice);
  return (option.choices ?? []).map((entry) => entry.key).filter((key) => selected.has(key));
}

function sameValue(a: OptionValue | undefined, b: OptionValue | undefined): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    const left = Array.isArray(a) ? [...a].sort() : [];
    const right = Array.isArray(b) ? [...b].sort() : [];
    return left.length === right.length && left.every((value, index) => value === right[index]);
  }
  return a === b;
}

/** The preset the state is exactly (every dimension and option), if any. */
export function matchingPreset(
  product: Shape & { presets: Preset[] },
  state: ConfigState,
): string | undefined {
  return product.presets.find((preset) => {
    const candidate = stateFrom(product, preset.configuration);
    return (
      product.dimensions.every(
        (dimension) => candidate.dimensions[dimension.key] === state.dimensions[dimension.key],
      ) &&
      product.options.every((option) => sameValue(candidate.options[option.key], state.options[option.key]))
    );
  })?.key;
}

/** Required inputs left empty, each with the sentence to show beside it. */
export function missingInputs(
  inputs: readonly ProductInput[],
  values: Record<string, string>,
): Record<string, string> {
  const missing: Record<string, string> = {};
  for (const input of inputs) {
    if (input.required && !(values[input.key] ?? '').trim()) {
      missing[input.key] = `Enter ${article(input.label)} ${input.label.toLowerCase()}.`;
    }
  }
  return missing;
}

const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a');

/** Typed inputs as sent: trimmed, empty ones left out. */
export function inputsOf(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values)
      .map(([key, value]) => [key, value.trim()] as const)
      .filter(([, value]) => value !== ''),
  );
}

/** A key for people when nothing better is known: `admin_domain` → "Admin domain". */
export function humanizeKey(key: string): string {
  const words = key.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
