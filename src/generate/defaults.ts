/** First simulated day when `--start` is not given. A module without imports, so `--help` can show it cheaply. */
export const DEFAULT_START = '2026-10-01';
