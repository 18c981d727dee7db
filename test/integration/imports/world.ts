import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { createUser } from "../../helpers/app";
import type { ImportTestServer } from "../../helpers/imports-app";

export const fixture = (name: string) =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`../../fixtures/imports/${name}`, import.meta.url))));

/**
 * The people, products and customers import tests share: an admin, finance, a manager over
 * 王小明 (owner of the hospital side) and 张伟 (owner of pharmacy PH-001) under another manager.
 */
export const buildWorld = async (server: ImportTestServer, opts: { customers?: boolean } = {}) => {
  const db = server.database;
  const admin = await createUser(db, { name: "管理员", role: "admin" });
  const finance = await createUser(db, { name: "财务", role: "finance" });
  const managerA = await createUser(db, { name: "上海北区经理", role: "manager" });
  const managerB = await createUser(db, { name: "上海南区经理", role: "manager" });
  const repA = await createUser(db, {
    name: "王小明",
    role: "rep",
    managerId: managerA.id,
    email: "wxm@example.cn",
  });
  const repB = await createUser(db, { name: "张伟", role: "rep", managerId: managerB.id });
  const products: Record<string, string> = {};
  for (const p of [
    { code: "P001", name: "阿莫西林胶囊", nameEn: "Amoxicillin capsules", aliases: ["阿莫"] },
    { code: "P002", name: "头孢克肟片", nameEn: "Cefixime tablets", aliases: [] },
  ]) {
    const res = await server.request("POST", "/api/products", admin.token, p);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    products[p.code] = res.body.id;
  }
  const world = { admin, finance, managerA, managerB, repA, repB, products };
  if (opts.customers !== false) {
    const res = await server.upload("customers", admin.token, fixture("customers-gbk.csv"));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  return world;
};
export type World = Awaited<ReturnType<typeof buildWorld>>;

/** The id of a customer by its code. */
export const customerId = async (server: ImportTestServer, token: string, code: string) => {
  const res = await server.request("GET", "/api/customers?limit=500", token);
  const hit = res.body.items.find((c: { code: string }) => c.code === code);
  expect(hit, `customer ${code}`).toBeDefined();
  return hit.id as string;
};
