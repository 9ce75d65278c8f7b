/** Keyed digest (HMAC-SHA256, base64url) of a bearer secret: what the store keeps and looks up instead of the secret. */
export type SecretDigest = (secret: string) => string;
