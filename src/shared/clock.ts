/** The only source of "now" outside tests; pure code takes times as arguments. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
