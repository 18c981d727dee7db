import { z } from "zod";

/**
 * The only reader of the environment (ARCHITECTURE.md). Every variable of CONTRACT.md is
 * here with its default; a bad value stops start-up with one line naming the variable.
 */
const onOff = z.enum(["on", "off"]);
const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));
const httpUrl = z
  .string()
  .trim()
  .refine((v) => /^https?:\/\/[^\s]+$/.test(v), "must be an http(s):// URL");

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const schema = z
  .object({
    DATABASE_URL: z
      .string()
      .trim()
      .default("file:./data/app.db")
      .refine(
        (v) => /^(file:.+|libsql:\/\/.+|https?:\/\/.+|:memory:)$/.test(v),
        "must be file:<path>, libsql://… or http(s)://…",
      ),
    DATABASE_AUTH_TOKEN: optional,
    PORT: z
      .string()
      .trim()
      .default("3000")
      .refine((v) => /^\d+$/.test(v) && Number(v) <= 65535, "must be a port number 0-65535")
      .transform(Number),
    PUBLIC_URL: optional.pipe(httpUrl.optional()),
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    APP_SECRET: optional.pipe(z.string().min(16, "must be at least 16 characters").optional()),
    ADMIN_TOKEN: optional.pipe(z.string().min(16, "must be at least 16 characters").optional()),
    APP_TIMEZONE: z.string().trim().default("Asia/Shanghai").refine(isTimeZone, "must be an IANA time zone"),
    SLACK_BOT_TOKEN: optional,
    SLACK_SIGNING_SECRET: optional,
    SLACK_BOT_ID: optional,
    SLACK_BOT_USER_ID: optional,
    SLACK_APP_TOKEN: optional,
    SLACK_API_URL: optional.pipe(httpUrl.optional()),
    WECHATY_PUPPET: optional,
    WECHATY_PUPPET_SERVICE_TOKEN: optional,
    WECHATY_PUPPET_SERVICE_ENDPOINT: optional,
    SMTP_URL: optional.pipe(
      z
        .string()
        .refine((v) => /^smtps?:\/\/.+/.test(v), "must be smtp://… or smtps://…")
        .optional(),
    ),
    MAIL_FROM: z.string().trim().default('"Rep Assistant" <noreply@localhost>'),
    SMS_PROVIDER: z.enum(["log", "http"]).default("log"),
    SMS_HTTP_URL: optional.pipe(httpUrl.optional()),
    SMS_HTTP_TOKEN: optional,
    SMS_SIGNATURE: optional,
    SMS_TEMPLATE_CARE: optional,
    SMS_INBOUND_SECRET: optional,
    CHAT_API: onOff.default("on"),
    SCHEDULER: onOff.default("on"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV === "production") {
      for (const key of ["ADMIN_TOKEN", "APP_SECRET"] as const)
        if (!c[key])
          ctx.addIssue({ code: "custom", path: [key], message: "is required when NODE_ENV=production" });
    }
    if (c.SMS_PROVIDER === "http" && !c.SMS_HTTP_URL)
      ctx.addIssue({ code: "custom", path: ["SMS_HTTP_URL"], message: "is required when SMS_PROVIDER=http" });
    if (c.SLACK_BOT_TOKEN && !c.SLACK_SIGNING_SECRET && !c.SLACK_APP_TOKEN)
      ctx.addIssue({
        code: "custom",
        path: ["SLACK_SIGNING_SECRET"],
        message: "is required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)",
      });
  });

export type Env = z.input<typeof schema>;

export interface Config {
  databaseUrl: string;
  databaseAuthToken?: string;
  port: number;
  publicUrl: string;
  nodeEnv: "development" | "production" | "test";
  appSecret?: string;
  adminToken?: string;
  timeZone: string;
  dataDir: string;
  slack: {
    botToken?: string;
    signingSecret?: string;
    botId?: string;
    botUserId?: string;
    appToken?: string;
    apiUrl?: string;
  };
  wechaty: { puppet?: string; token?: string; endpoint?: string };
  smtpUrl?: string;
  mailFrom: string;
  sms: {
    provider: "log" | "http";
    httpUrl?: string;
    httpToken?: string;
    signature?: string;
    templateCare?: string;
    inboundSecret?: string;
  };
  chatApi: boolean;
  scheduler: boolean;
  logLevel: string;
}

export class ConfigError extends Error {}

/** Parses an environment (process.env in main.ts, a plain object in tests). */
export const loadConfig = (env: Record<string, string | undefined>, dataDir = "data"): Config => {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? "environment");
    const value = env[name];
    const shown = value === undefined || /SECRET|TOKEN|PASS|URL/.test(name) ? "" : ` (got "${value}")`;
    throw new ConfigError(`Invalid ${name}${shown}: ${issue.message}`);
  }
  const c = parsed.data;
  return {
    databaseUrl: c.DATABASE_URL,
    databaseAuthToken: c.DATABASE_AUTH_TOKEN,
    port: c.PORT,
    publicUrl: (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, ""),
    nodeEnv: c.NODE_ENV,
    appSecret: c.APP_SECRET,
    adminToken: c.ADMIN_TOKEN,
    timeZone: c.APP_TIMEZONE,
    dataDir,
    slack: {
      botToken: c.SLACK_BOT_TOKEN,
      signingSecret: c.SLACK_SIGNING_SECRET,
      botId: c.SLACK_BOT_ID,
      botUserId: c.SLACK_BOT_USER_ID,
      appToken: c.SLACK_APP_TOKEN,
      apiUrl: c.SLACK_API_URL,
    },
    wechaty: {
      puppet: c.WECHATY_PUPPET,
      token: c.WECHATY_PUPPET_SERVICE_TOKEN,
      endpoint: c.WECHATY_PUPPET_SERVICE_ENDPOINT,
    },
    smtpUrl: c.SMTP_URL,
    mailFrom: c.MAIL_FROM,
    sms: {
      provider: c.SMS_PROVIDER,
      httpUrl: c.SMS_HTTP_URL,
      httpToken: c.SMS_HTTP_TOKEN,
      signature: c.SMS_SIGNATURE,
      templateCare: c.SMS_TEMPLATE_CARE,
      inboundSecret: c.SMS_INBOUND_SECRET,
    },
    chatApi: c.CHAT_API === "on",
    scheduler: c.SCHEDULER === "on",
    logLevel: c.LOG_LEVEL,
  };
};

/** The process's own environment: the one place the app reads `process.env`. */
export const loadConfigFromEnv = (dataDir?: string): Config => loadConfig(process.env, dataDir);
