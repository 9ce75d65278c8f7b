/** An administrator audit log entry (Search-AdminAuditLog), before and after it joins a hash chain (audit-chain.ts). */
export interface AuditInput {
  at: number;
  actor: string;
  source: string | null;
  action: string;
  target: string | null;
  /** Never a PIN: services pass parameters through redactParameters. */
  parameters: Record<string, unknown>;
  result: 'success' | 'failure';
  errorCode: string | null;
}

export interface AuditEntry extends AuditInput {
  /** the entry's place in the log as it is read (one order for every chain) */
  seq: number;
  /** the chain the entry was linked into, and its place there (1 = the first) */
  chain: number;
  position: number;
  hash: string;
}

/** A chain's head row: how many entries it holds and the last one's hash (a removed tail shows against these). */
export interface AuditChainHead {
  chain: number;
  length: number;
  hash: string;
  /**
   * The chain's first entries linked before there were several chains (chain 0 of a log
   * begun by an older umpin): their links cover the entry without its chain and position.
   */
  legacyLength: number;
  /** whether writers take this chain for new entries (umpin audit chains) */
  writable: boolean;
}
