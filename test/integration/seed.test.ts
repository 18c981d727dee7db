import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client";
import { consentEvents, customers, purchases, users } from "../../src/db/schema";
import { type SeedCounts, seedDemo } from "../../src/db/seed";
import { buildWorld } from "../../src/db/seed/world";
import { gradeHospital, gradePharmacy } from "../../src/domain/customers/grades";
import { addDays } from "../../src/domain/dates";
import { createUser, tempDatabase } from "../helpers/app";

const refDate = "2026-11-22";
let env: Awaited<ReturnType<typeof tempDatabase>>;
let database: Database;
let first: SeedCounts;
let second: SeedCounts;

beforeAll(async () => {
  env = await tempDatabase();
  database = env.database;
  // An admin already exists (the bootstrap one): the seed must not add a second.
  await createUser(database, { name: "Admin", role: "admin" });
  first = await seedDemo(database, { refDate });
  second = await seedDemo(database, { refDate });
}, 60_000);
afterAll(() => env.cleanup());

const allUsers = () => database.db.select().from(users).all();
const allCustomers = () => database.db.select().from(customers).all();

describe("seedDemo", () => {
  it("is idempotent: a second run with the same date leaves identical counts", () => {
    expect(second).toEqual(first);
    expect(first.purchases).toBeGreaterThan(3000);
    expect(first.visits).toBeGreaterThan(1000);
  });

  it("creates the team: one regional manager, two district managers with four reps each, finance", async () => {
    const rows = await allUsers();
    const byId = new Map(rows.map((u) => [u.id, u]));
    const reps = rows.filter((u) => u.role === "rep");
    const regional = rows.filter((u) => u.role === "manager" && u.managerId === null);
    const districts = rows.filter((u) => u.role === "manager" && u.managerId !== null);
    expect(rows.filter((u) => u.role === "admin")).toHaveLength(1);
    expect(rows.filter((u) => u.role === "finance")).toHaveLength(1);
    expect(regional).toHaveLength(1);
    expect(districts).toHaveLength(2);
    expect(reps).toHaveLength(8);
    for (const d of districts) {
      expect(d.managerId).toBe(regional[0].id);
      expect(reps.filter((r) => r.managerId === d.id)).toHaveLength(4);
    }
    for (const r of reps) expect(byId.get(r.managerId ?? "")?.managerId).toBe(regional[0].id);
    expect(reps.filter((r) => r.locale === "en")).toHaveLength(1);
  });

  it("creates the market: 3 cities, 40 hospitals graded A/B/C, ~300 doctors, 120 pharmacies A–D, 6 distributors", async () => {
    const rows = await allCustomers();
    const ofKind = (k: string) => rows.filter((c) => c.kind === k);
    expect(new Set(rows.map((c) => c.city))).toEqual(new Set(["北京", "石家庄", "保定"]));
    expect(ofKind("hospital")).toHaveLength(40);
    expect(ofKind("doctor").length).toBeGreaterThanOrEqual(280);
    expect(ofKind("doctor").length).toBeLessThanOrEqual(320);
    expect(ofKind("pharmacy")).toHaveLength(120);
    expect(ofKind("distributor")).toHaveLength(6);
    expect(first.products).toBe(8);
    expect(new Set(ofKind("hospital").map((h) => gradeHospital(h)))).toEqual(new Set(["A", "B", "C"]));
    expect(new Set(ofKind("pharmacy").map((p) => gradePharmacy(p)))).toEqual(new Set(["A", "B", "C", "D"]));
    expect(ofKind("doctor").some((d) => d.birthday?.endsWith("02-29"))).toBe(true);
  });

  it("gives every customer an active rep of its city as owner", async () => {
    const reps = new Map(
      (await allUsers()).filter((u) => u.role === "rep" && u.active).map((u) => [u.id, u]),
    );
    for (const c of await allCustomers()) {
      const owner = reps.get(c.ownerId);
      expect(owner, c.name).toBeDefined();
      expect(owner?.territory?.startsWith(c.city ?? "?"), c.name).toBe(true);
    }
  });

  it("keeps the cached consent columns equal to the latest ledger entry", async () => {
    const ledger = await database.db.select().from(consentEvents).all();
    const latest = new Map<string, { state: string; at: string }>();
    for (const e of ledger) {
      const key = `${e.customerId}|${e.channel}`;
      if ((latest.get(key)?.at ?? "") < e.at) latest.set(key, e);
    }
    const rows = await allCustomers();
    expect(new Set(ledger.map((e) => e.customerId)).size).toBeGreaterThan(rows.length / 5);
    for (const c of rows) {
      expect(c.smsConsent, c.name).toBe(latest.get(`${c.id}|sms`)?.state ?? "none");
      expect(c.emailConsent, c.name).toBe(latest.get(`${c.id}|email`)?.state ?? "none");
    }
  });

  it("spans 12 months of purchases up to refDate, with buyers gone quiet for 90+ days", async () => {
    const rows = await database.db.select().from(purchases).all();
    const dates = rows.map((p) => p.date).sort();
    expect(dates[0] >= addDays(refDate, -365)).toBe(true);
    expect(dates[0] <= addDays(refDate, -350)).toBe(true);
    expect(dates.at(-1)! <= refDate).toBe(true);
    expect(new Set(dates.map((d) => d.slice(0, 7))).size).toBeGreaterThanOrEqual(12);
    expect(new Set(rows.map((p) => p.source))).toEqual(new Set(["erp", "flow"]));
    for (const p of rows) expect(p.amountCny).not.toBe(0);
    const lastBuy = new Map<string, string>();
    for (const p of rows)
      if (p.quantity > 0 && p.date > (lastBuy.get(p.buyerId) ?? "")) lastBuy.set(p.buyerId, p.date);
    const silent = [...lastBuy.values()].filter((d) => d <= addDays(refDate, -90));
    expect(silent.length).toBeGreaterThanOrEqual(5);
  });
});

describe("buildWorld", () => {
  it("is a pure function of (seed, refDate): two builds are equal", () => {
    const options = { seed: 7, refDate, timeZone: "Asia/Shanghai", adminId: "admin", withAdmin: true };
    expect(buildWorld(options)).toEqual(buildWorld(options));
  });
});
