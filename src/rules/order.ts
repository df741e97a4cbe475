/**
 * The order mlvet sorts ids and paths in for deterministic output: plain UTF-16 code-unit order, the
 * same on every machine and locale. `localeCompare` would initialise ICU's collation on first use
 * (30+ ms of start-up) and order differently where locales differ.
 */
export const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
