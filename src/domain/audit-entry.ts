/** An administrator audit log entry (Search-AdminAuditLog), before and after it joins the hash chain (audit-chain.ts). */
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
  seq: number;
  hash: string;
}
