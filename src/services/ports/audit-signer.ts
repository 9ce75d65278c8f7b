/** Links one audit entry to the previous one (keyed, so a database-only attacker cannot re-link). */
export interface AuditSigner {
  link(previousHash: string, content: string): string;
}
