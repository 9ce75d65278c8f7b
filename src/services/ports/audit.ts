import type { AuditEntry, AuditInput } from '../../domain/audit-entry.js';

export interface AuditFilter {
  action?: string;
  target?: string;
  actor?: string;
  from?: number;
  to?: number;
  afterSeq?: number;
  /** entries before this sequence number (a newest-first page's position) */
  beforeSeq?: number;
  /** newest first (by sequence number) instead of log order */
  newestFirst?: boolean;
  limit?: number;
}

export interface AuditReads {
  listAudit(filter: AuditFilter): Promise<AuditEntry[]>;
  auditHead(): Promise<{ seq: number; hash: string }>;
}

export interface AuditRepository extends AuditReads {
  /** Appends to the hash chain; link() computes each entry's keyed hash from the previous one. */
  appendAudit(entries: AuditInput[], link: (previousHash: string, content: string) => string): Promise<AuditEntry[]>;
}
