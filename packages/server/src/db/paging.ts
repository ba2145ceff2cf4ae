/**
 * Reading a whole table on the thread that answers requests. On SQLite each page is one
 * synchronous statement and Kysely's promises resolve as microtasks, so a loop over pages never
 * gave the event loop a turn: the statistics' pass over a million residents (20 pages of 50,000,
 * ~200 ms each) held every request for 4 s after each import. Pages are small enough to take a few
 * tens of milliseconds, and the readers yield a turn between them.
 */
export { setImmediate as nextTurn } from 'node:timers/promises';

/** Rows per page: about 40 ms of SQLite work for a resident row of the statistics or the population. */
export const READ_PAGE = 8_192;
