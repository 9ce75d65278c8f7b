/** One page of a list, and where the next one starts. */
export interface Page<T> {
  items: T[];
  /** opaque cursor for the next page, null at the end */
  next: string | null;
}
