export interface Clock {
  /** epoch milliseconds */
  now(): number;
}
