/** An administrator's local account; the password only as a memory-hard hash. */
export interface AdminAccountRecord {
  id: string;
  name: string;
  passwordHash: string;
  /** a RoleGroup */
  role: string;
  /** dial plan ids; null = the whole organisation */
  dialPlanScope: string[] | null;
  disabled: boolean;
  createdAt: number;
  passwordChangedAt: number;
}
