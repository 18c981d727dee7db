import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonRows, readJsonRows } from "../../src/db/json-rows";
import { customers, visits } from "../../src/db/schema";
import { createUser, tempDatabase } from "../helpers/app";

let env: Awaited<ReturnType<typeof tempDatabase>>;
let repId: string;
const at = "2026-08-19T01:00:00.000Z";

beforeAll(async () => {
  env = await tempDatabase();
  repId = (await createUser(env.database, { name: "李", role: "rep" })).id;
  await env.database.db.insert(customers).values([
    {
      id: "c1",
      code: "C1",
      kind: "doctor",
      name: '王 "主任"\n\\',
      ownerId: repId,
      createdAt: at,
      updatedAt: at,
    },
    {
      id: "c2",
      code: "C2",
      kind: "hospital",
      name: "协和",
      beds: 1800,
      active: false,
      ownerId: repId,
      createdAt: at,
      updatedAt: at,
    },
  ]);
  await env.database.db.insert(visits).values({
    id: "v1",
    repId,
    customerId: "c1",
    at,
    date: "2026-08-19",
    timeKnown: true,
    purposes: ["学术", "follow-up"],
    rating: 6,
    createdAt: at,
    updatedAt: at,
  });
});
afterAll(() => env.cleanup());

describe("rows read as one JSON value", () => {
  it("gives the same rows, decoded as the columns decode them, as an ordinary select", async () => {
    const { db } = env.database;
    const fields = {
      id: customers.id,
      name: customers.name,
      beds: customers.beds,
      active: customers.active,
      area: customers.area,
    };
    const plain = await db.select(fields).from(customers).orderBy(customers.id);
    const json = await readJsonRows(fields, db.select({ rows: jsonRows(fields) }).from(customers));
    expect(json.sort((a, b) => a.id.localeCompare(b.id))).toEqual(plain);
    expect(json[1]).toMatchObject({ active: false, beds: 1800, area: null });

    const visitFields = { timeKnown: visits.timeKnown, purposes: visits.purposes, rating: visits.rating };
    expect(await readJsonRows(visitFields, db.select({ rows: jsonRows(visitFields) }).from(visits))).toEqual([
      { timeKnown: true, purposes: ["学术", "follow-up"], rating: 6 },
    ]);
  });

  it("gives no rows when nothing matches", async () => {
    const fields = { id: customers.id };
    const rows = await readJsonRows(
      fields,
      env.database.db
        .select({ rows: jsonRows(fields) })
        .from(customers)
        .where(eq(customers.id, "none")),
    );
    expect(rows).toEqual([]);
  });
});
