import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../helpers/app";
import { type FieldServer, startFieldServer } from "../../helpers/field-app";

let server: FieldServer;
let admin: { id: string; token: string };

const create = async (body: Record<string, unknown>) => {
  const res = await server.request("POST", "/api/customers", admin.token, { ownerId: admin.id, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};

beforeAll(async () => {
  server = await startFieldServer();
  admin = await createUser(server.database, { name: "管理员", role: "admin" });
});
afterAll(() => server.close());

describe("hospital grade (A/B: two of three lower bounds)", () => {
  it.each([
    [{ beds: 200, dailyOutpatients: 500 }, "B"],
    [{ beds: 199, dailyOutpatients: 500 }, "C"],
    [{ beds: 199, dailyOutpatients: 499, monthlyPurchaseCny: 1_000_000 }, "C"],
    [{ beds: 200, dailyOutpatients: 499, monthlyPurchaseCny: 1_000_000 }, "B"],
    [{ beds: 500, dailyOutpatients: 1500 }, "A"],
    [{ beds: 499, dailyOutpatients: 1500, monthlyPurchaseCny: 5_000_000 }, "A"],
    [{ beds: 500, dailyOutpatients: 1499, monthlyPurchaseCny: 4_999_999.99 }, "B"],
    [{ beds: 900 }, "C"],
    [{}, "C"],
  ])("%o is %s", async (figures, grade) => {
    const h = await create({ kind: "hospital", name: "医院", ...figures });
    expect(h.grade).toBe(grade);
    expect((await server.request("GET", `/api/customers/${h.id}`, admin.token)).body.grade).toBe(grade);
  });
});

describe("pharmacy grade", () => {
  it.each([
    [{ monthlySalesCny: 800_000, ourMonthlySalesCny: 0 }, "D"],
    [{ monthlySalesCny: 800_000 }, "D"],
    [{ monthlySalesCny: 500_000, ourMonthlySalesCny: 10_000 }, "A"],
    [{ monthlySalesCny: 499_999, ourMonthlySalesCny: 10_000 }, "B"],
    [{ monthlySalesCny: 500_000, ourMonthlySalesCny: 9_999 }, "B"],
    [{ monthlySalesCny: 100_000, ourMonthlySalesCny: 500 }, "C"],
  ])("%o is %s", async (figures, grade) => {
    const p = await create({ kind: "pharmacy", name: "药店", ...figures });
    expect(p.grade).toBe(grade);
  });
});

describe("grades follow the settings at read time", () => {
  it("regrades a hospital when the B thresholds change, on the list too", async () => {
    const h = await create({
      kind: "hospital",
      name: "县医院",
      city: "grades-city",
      beds: 150,
      dailyOutpatients: 400,
    });
    expect(h.grade).toBe("C");
    const set = await server.request("PUT", "/api/settings/grade.hospital", admin.token, {
      value: {
        A: { beds: 500, dailyOutpatients: 1500, monthlyPurchaseCny: 5_000_000 },
        B: { beds: 100, dailyOutpatients: 300, monthlyPurchaseCny: 1_000_000 },
      },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const list = await server.request("GET", "/api/customers?kind=hospital&city=grades-city", admin.token);
    expect(list.body.items.map((c: { grade: string }) => c.grade)).toEqual(["B"]);
  });

  it("decorates only the kinds that have computed fields", async () => {
    const d = await create({ kind: "distributor", name: "国药控股" });
    expect(d.grade).toBeUndefined();
    expect(d.segments).toBeUndefined();
  });
});
