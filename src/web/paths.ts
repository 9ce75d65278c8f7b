/** Where things are: the API's URLs and the admin center's own pages, built in one place. */
export function umMailboxUrl(identity: string): string {
  return `/api/v1/um-mailboxes/${encodeURIComponent(identity)}`;
}

export function pinUrl(identity: string): string {
  return `${umMailboxUrl(identity)}/pin`;
}

export function umMailboxPath(id: string): string {
  return `/mailboxes/${encodeURIComponent(id)}/um`;
}
