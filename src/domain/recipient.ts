/** A mail recipient (Get-Recipient): what an identity names, UM-enabled or not. */
export interface Recipient {
  /** GUID */
  id: string;
  alias: string;
  primarySmtpAddress: string;
  userPrincipalName: string;
  displayName: string;
  /** BCP-47; null = the organisation's default */
  language: string | null;
  createdAt: number;
  updatedAt: number;
}
