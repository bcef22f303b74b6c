import { monotonicFactory } from 'ulid';
import type { Clock } from '../time/clock.ts';

/** Type prefixes of our opaque ids (`ten_…`, `evt_…`). Add one per entity. */
export type IdPrefix =
  | 'ten'
  | 'evt'
  | 'req'
  | 'usr'
  | 'cus'
  | 'key'
  | 'aud'
  | 'opr'
  | 'inv'
  | 'prd'
  | 'bsk'
  | 'bki'
  | 'ord'
  | 'sub'
  | 'led'
  | 'trn'
  | 'inc'
  | 'ivc'
  | 'cpp'
  | 'con'
  | 'dlv'
  /** Capacity-trigger policy and firing. */
  | 'tgp'
  | 'tgf';

const nextUlid = monotonicFactory();

/**
 * A new id: type prefix + ULID, so ids sort by creation time and say what they are.
 *
 * @example newId('ten', clock) // 'ten_01JD2X…'
 */
export function newId(prefix: IdPrefix, clock: Clock): string {
  return `${prefix}_${nextUlid(clock.now().getTime()).toLowerCase()}`;
}
