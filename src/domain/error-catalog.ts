/** The shape every language's error catalog has: one entry per code, a pure function of its params. */
import type { ErrorCode, ErrorParams, ObjectKind } from './error-codes.js';

/** What an entry is given: the code's params, with the field when the params name none. */
export type MessageInput<C extends ErrorCode> = ErrorParams[C] & { field?: string | undefined };

export type ErrorCatalog = { readonly [C in ErrorCode]: (p: MessageInput<C>) => string };

/** Each catalog's word for each kind of object. */
export type KindWords = Readonly<Record<ObjectKind, string>>;
