/** An API token, kept as the digest of its secret. */
export interface ApiTokenRecord {
  id: string;
  name: string;
  digest: string;
  /** a RoleGroup */
  role: string;
  dialPlanScope: string[] | null;
  createdBy: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}
