import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Tokens and codes are stored as SHA-256 hashes; the clear value is shown once. */
export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
export const generateToken = () => `rm_${randomBytes(24).toString("base64url")}`;

/** HMAC-signed values (unsubscribe links): `<payload>.<signature>`, both base64url. */
export const sign = (secret: string, payload: string) => {
  const body = Buffer.from(payload, "utf8").toString("base64url");
  const mac = createHmac("sha256", secret).update(body).digest("base64url");
  return `${body}.${mac}`;
};

export const verifySigned = (secret: string, token: string): string | null => {
  const [body, mac] = token.split(".");
  if (!body || !mac) return null;
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(mac, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return Buffer.from(body, "base64url").toString("utf8");
};
