/** The only way domain code learns the time: passed in, so tests run "next Tuesday 07:30". */
export interface Clock {
  now(): Date;
}

export const fixedClock = (iso: string): Clock => ({ now: () => new Date(iso) });
