import { addDays } from "../../domain/dates";
import { birthday, mobile, romanize } from "./names";
import { type Rng, seedId } from "./random";
import { localInstant } from "./time";
import type { ConsentRow, CustomerRow, SeedContext } from "./types";

type Channel = "sms" | "email";

const channelSets: readonly (readonly [Channel[], number])[] = [
  [["sms"], 4],
  [["email"], 2],
  [["sms", "email"], 4],
];

/** The ledger for one customer: signed paper forms, and now and then a later SMS opt-out. */
const ledgerFor = (rng: Rng, ctx: SeedContext, c: CustomerRow, formNo: number): ConsentRow[] => {
  const signedOn = addDays(ctx.refDate, -rng.int(30, 330));
  const at = localInstant(signedOn, rng.int(9, 17), rng.pick([0, 15, 30, 45]), ctx.timeZone);
  const evidence = `signed form #${signedOn.slice(0, 4)}-${String(formNo).padStart(4, "0")}`;
  const rows: ConsentRow[] = rng.weighted(channelSets).map((channel) => ({
    id: seedId(`consent:${c.code}:${channel}:granted`),
    customerId: c.id,
    channel,
    state: "granted",
    at,
    by: c.ownerId,
    method: "paper_form",
    evidence,
  }));
  if (rows.some((r) => r.channel === "sms") && rng.chance(0.06)) {
    const withdrawnOn = addDays(signedOn, rng.int(5, 25));
    rows.push({
      id: seedId(`consent:${c.code}:sms:withdrawn`),
      customerId: c.id,
      channel: "sms",
      state: "withdrawn",
      at: localInstant(withdrawnOn, 20, 5, ctx.timeZone),
      by: "customer",
      method: "sms_reply",
      evidence: "回复 R",
    });
  }
  return rows;
};

/** The cached columns are the latest ledger state per channel (what the API derives on writes). */
const cachedState = (rows: ConsentRow[], channel: Channel): "granted" | "withdrawn" | "none" => {
  const latest = rows.filter((r) => r.channel === channel).sort((a, b) => a.at.localeCompare(b.at));
  return latest.at(-1)?.state ?? "none";
};

/**
 * Phone, email, birthday and consent for a person-like customer (doctor, pharmacy): about
 * half signed a consent form; the cached sms/email columns follow the ledger.
 */
export const withContact = (
  rng: Rng,
  ctx: SeedContext,
  c: CustomerRow,
  formNo: number,
  person: boolean,
): { customer: CustomerRow; consent: ConsentRow[] } => {
  const handle = person ? romanize(c.name) : c.code.toLowerCase();
  const consent = rng.chance(0.5) ? ledgerFor(rng, ctx, c, formNo) : [];
  const sms = cachedState(consent, "sms");
  const email = cachedState(consent, "email");
  const granted: Channel[] = [
    ...(sms === "granted" ? ["sms" as const] : []),
    ...(email === "granted" ? ["email" as const] : []),
  ];
  const preferredChannel: Channel = granted.length === 1 ? granted[0] : rng.chance(0.7) ? "sms" : "email";
  return {
    customer: {
      ...c,
      phone: mobile(rng),
      email: `${handle}.${c.code.toLowerCase()}@example.com`,
      birthday: person ? birthday(rng) : null,
      smsConsent: sms,
      emailConsent: email,
      preferredChannel,
    },
    consent,
  };
};
