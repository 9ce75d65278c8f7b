/** The one organisation a umpin installation serves, and the defaults its mailboxes inherit. */
export interface Organization {
  id: string;
  name: string;
  defaultCountryCode: string;
  defaultLanguage: string;
  createdAt: number;
}
