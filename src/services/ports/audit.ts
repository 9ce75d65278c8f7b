import type { AuditChainHead, AuditEntry, AuditInput } from '../../domain/audit-entry.js';

export interface AuditFilter {
  action?: string;
  target?: string;
  actor?: string;
  from?: number;
  to?: number;
  afterSeq?: number;
  /** entries before this sequence number (a newest-first page's position) */
  beforeSeq?: number;
  /** only entries that name none of these chains (verification: there should be none) */
  outsideChains?: readonly number[];
  /** newest first (by sequence number) instead of log order */
  newestFirst?: boolean;
  limit?: number;
}

export interface AuditReads {
  /** The log in sequence order (every chain together), as it is read and searched. */
  listAudit(filter: AuditFilter): Promise<AuditEntry[]>;
  /** Every chain's head row, in chain order, read at one moment. */
  auditChains(): Promise<AuditChainHead[]>;
  /** One chain's entries after a position, in position order (verification). */
  listAuditChain(chain: number, afterPosition: number, limit: number): Promise<AuditEntry[]>;
}

export interface AuditRepository extends AuditReads {
  /**
   * Appends to one of the chains (the same one for every call in a transaction), holding its
   * head until commit; link() computes each entry's keyed hash from the previous one of that chain.
   */
  appendAudit(entries: AuditInput[], link: (previousHash: string, content: string) => string): Promise<AuditEntry[]>;
  /**
   * New entries spread over chains 0 to count - 1 (head rows made as needed); the others
   * keep their entries, and are verified, but take no more.
   */
  setWritableAuditChains(count: number): Promise<void>;
}
