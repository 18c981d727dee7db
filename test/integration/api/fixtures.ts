import { and, asc, count, eq } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { expect } from "vitest";
import { auditLog } from "../../../src/db/schema";
import { createUser, type TestServer } from "../../helpers/app";

/**
 * The people of an API test: an admin, finance, and a regional manager over two district
 * managers, each with reps (north: repA1, repA2; south: repB1).
 */
export const buildHierarchy = async (server: TestServer) => {
  const db = server.database;
  const admin = await createUser(db, { name: "管理员", role: "admin" });
  const finance = await createUser(db, { name: "财务", role: "finance" });
  const regional = await createUser(db, { name: "华东大区经理", role: "manager" });
  const districtA = await createUser(db, { name: "上海北区经理", role: "manager", managerId: regional.id });
  const districtB = await createUser(db, { name: "杭州地区经理", role: "manager", managerId: regional.id });
  const repA1 = await createUser(db, { name: "王小明", role: "rep", managerId: districtA.id });
  const repA2 = await createUser(db, { name: "李娜", role: "rep", managerId: districtA.id });
  const repB1 = await createUser(db, { name: "张伟", role: "rep", managerId: districtB.id });
  return { admin, finance, regional, districtA, districtB, repA1, repA2, repB1 };
};
export type Hierarchy = Awaited<ReturnType<typeof buildHierarchy>>;

/** The audit rows of one entity, oldest first. */
export const auditRowsOf = (server: TestServer, entityType: string, entityId: string) =>
  server.database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId)))
    .orderBy(asc(auditLog.at), asc(auditLog.id));

/** POSTs a body that must be accepted (201) and returns what the API answered. */
export const created = async (server: TestServer, path: string, token: string, body: unknown) => {
  const res = await server.request("POST", path, token, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};

/** Rows in a table: what a refused request must leave as it was. */
export const rowCount = async (server: TestServer, table: SQLiteTable) =>
  (await server.database.db.select({ n: count() }).from(table).get())!.n;

/** Audit rows of one entity type. */
export const auditCount = async (server: TestServer, entityType: string) =>
  (await server.database.db
    .select({ n: count() })
    .from(auditLog)
    .where(eq(auditLog.entityType, entityType))
    .get())!.n;

/** Walks a list by `nextCursor` until null and returns every item seen, page by page. */
export const walkPages = async (server: TestServer, path: string, token: string, limit: number) => {
  const pages: any[][] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const sep = path.includes("?") ? "&" : "?";
    const url = `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const res = await server.request("GET", url, token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    pages.push(res.body.items);
    cursor = res.body.nextCursor;
    if (cursor === null) break;
  }
  return { pages, items: pages.flat() };
};

/** Asserts the body is the API's validation error naming the field. */
export const expectValidation = (res: { status: number; body: any }, field: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error.code).toBe("validation");
  expect(typeof res.body.error.message).toBe("string");
  expect(res.body.error.message).toContain(field);
  expect(Array.isArray(res.body.error.details), JSON.stringify(res.body)).toBe(true);
  expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
};

/** Asserts the body is the API's error shape with that status and code. */
export const expectError = (res: { status: number; body: any }, status: number, code: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe("string");
};

/** An instant with the company's offset (APP_TIMEZONE defaults to Asia/Shanghai). */
export const SHANGHAI_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;
