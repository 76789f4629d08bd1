/** The only source of "now" outside tests; pure code takes times as arguments. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
