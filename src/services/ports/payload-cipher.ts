/** Authenticated encryption for outbox payloads that carry a clear PIN. */
export interface PayloadCipher {
  seal(plaintext: string, aad: string): string;
  open(sealed: string, aad: string): string;
}
