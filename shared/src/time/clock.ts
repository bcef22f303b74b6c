/** Where time comes from. Everything time-dependent takes a Clock so tests can run a month in seconds. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until moved; for tests and simulations. */
export class ManualClock implements Clock {
  #epochMs: number;

  constructor(start: Date | string) {
    this.#epochMs = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.#epochMs);
  }

  advance(ms: number): void {
    this.#epochMs += ms;
  }

  set(to: Date | string): void {
    this.#epochMs = new Date(to).getTime();
  }
}
