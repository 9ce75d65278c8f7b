/**
 * What every aggregate's row module (dial-plans.ts, pins.ts, ...) shares: the handle its
 * queries run on (the database, or one transaction) and the engine's capabilities.
 */
import type { Kysely, Transaction } from 'kysely';
import type { EngineAdapter } from './engine-adapter.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database> | Transaction<Database>;

/** The base of every row class; they hold nothing else, so composeRows can put them together. */
export class Rows {
  constructor(
    protected readonly db: Db,
    protected readonly adapter: EngineAdapter,
  ) {}
}

type RowsClass = new (db: Db, adapter: EngineAdapter) => Rows;
type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/**
 * One class with every method of the given row classes and of their bases up to Rows: a
 * transaction is then one object (services call tx.x, whatever aggregate x belongs to),
 * made with a single allocation. Row classes keep no state of their own and no #private
 * members (those cannot be shared this way): helpers are module functions.
 */
export function composeRows<P extends RowsClass[]>(
  ...parts: P
): new (
  db: Db,
  adapter: EngineAdapter,
) => Intersection<InstanceType<P[number]>> {
  class Composed extends Rows {}
  for (const part of parts) {
    for (let proto = part.prototype; proto !== Rows.prototype; proto = Object.getPrototypeOf(proto) as object) {
      for (const name of Object.getOwnPropertyNames(proto)) {
        if (name === 'constructor') continue;
        const method = Object.getOwnPropertyDescriptor(proto, name)!;
        const taken = Object.getOwnPropertyDescriptor(Composed.prototype, name);
        if (taken !== undefined && taken.value !== method.value)
          throw new Error(`composeRows: ${name} is defined by two row classes`);
        Object.defineProperty(Composed.prototype, name, method);
      }
    }
  }
  return Composed as never;
}

/** The case-insensitive key a name is looked up by. */
export const key = (s: string): string => s.trim().toLowerCase();

/** Booleans are 0/1 integers on both engines. */
export const flag = (v: boolean): number => (v ? 1 : 0);
