import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, consentEvents, customers } from "../../../src/db/schema";
import { type ImportTestServer, startImportServer } from "../../helpers/imports-app";
import { bom, type Row, rowOf } from "./encodings";
import { buildWorld, customerId, fixture, type World } from "./world";

let server: ImportTestServer;
let w: World;

beforeAll(async () => {
  server = await startImportServer();
  w = await buildWorld(server);
});
afterAll(() => server.close());

/** GB18030 bytes of a string: two-byte codes from the platform decoder, four-byte ones by formula. */
const gb18030 = (() => {
  const table = new Map<string, number[]>();
  const dec = new TextDecoder("gb18030");
  for (let a = 0x81; a <= 0xfe; a++)
    for (let b = 0x40; b <= 0xfe; b++) {
      if (b === 0x7f) continue;
      const s = dec.decode(new Uint8Array([a, b]));
      if (s.length === 1 && s !== "\uFFFD" && !table.has(s)) table.set(s, [a, b]);
    }
  return (text: string) => {
    const out: number[] = [];
    for (const ch of text) {
      const cp = ch.codePointAt(0) as number;
      const two = table.get(ch);
      if (cp < 0x80) out.push(cp);
      else if (two) out.push(...two);
      else if (cp >= 0x10000) {
        // Supplementary planes start at linear index 189000 (0x90308130).
        let n = cp - 0x10000 + 189000;
        const d = n % 10;
        n = (n - d) / 10;
        const c = n % 126;
        n = (n - c) / 126;
        const b = n % 10;
        n = (n - b) / 10;
        out.push(0x81 + n, 0x30 + b, 0x81 + c, 0x30 + d);
      } else throw new Error(`no GB18030 code for ${ch}`);
    }
    return new Uint8Array(out);
  };
})();

const byCode = async (code: string) =>
  server.database.db.select().from(customers).where(eq(customers.code, code)).get();

const customersNamed = async (name: string) =>
  server.database.db.select().from(customers).where(eq(customers.name, name));

describe("customer import: encodings and CSV shapes", () => {
  it("reads a GB18030 file with CRLF line ends, Chinese headers and four-byte characters", async () => {
    const text =
      "编码,类型,名称,城市,城市级别\r\nGB-H1,医院,𠀀州市人民医院,上海,二线\r\nGB-P1,药店,喆𠮷大药房,北京,1\r\n";
    const bytes = gb18030(text);
    expect(new TextDecoder("gb18030").decode(bytes)).toBe(text);
    const res = await server.upload("customers", w.admin.token, bytes);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ imported: 2, updated: 0, failed: 0 });
    expect(await byCode("GB-H1")).toMatchObject({ kind: "hospital", name: "𠀀州市人民医院", cityTier: 2 });
    expect(await byCode("GB-P1")).toMatchObject({ kind: "pharmacy", name: "喆𠮷大药房", city: "北京" });
  });

  it("reads UTF-8 with a BOM and CRLF, English headers in another order and an unknown extra column", async () => {
    const res = await server.upload(
      "customers",
      w.admin.token,
      bom("Name,Notes,City,Kind,Code\r\n仁济药房,ignored,苏州,pharmacy,BOM-1\r\n"),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ imported: 1, failed: 0, ignoredColumns: ["Notes"] });
    expect(await byCode("BOM-1")).toMatchObject({ kind: "pharmacy", name: "仁济药房", city: "苏州" });
  });

  it("keeps commas, doubled quotes and line breaks inside quoted fields, numbering rows as a spreadsheet does", async () => {
    const csv = [
      "code,kind,name,address",
      'Q-1,hospital,"协和医院, 东院","北京市东城区\r\n帅府园1号"',
      "",
      'Q-2,hospital,"""老"" 医院",',
      "Q-3,诊所,某诊所,",
    ].join("\r\n");
    const res = await server.upload("customers", w.admin.token, csv);
    expect(res.body).toMatchObject({ imported: 2, failed: 1 });
    expect(res.body.rows.map((r: Row) => [r.row, r.status])).toEqual([
      [2, "ok"],
      [4, "ok"],
      [5, "error"],
    ]);
    expect(rowOf(res.body, 5).error).toMatch(/^kind: 诊所 is not one of the accepted values/);
    expect(await byCode("Q-1")).toMatchObject({
      name: "协和医院, 东院",
      address: "北京市东城区\r\n帅府园1号",
    });
    expect((await byCode("Q-2"))?.name).toBe('"老" 医院');
  });

  it("reads classic Mac line ends (CR only)", async () => {
    const res = await server.upload(
      "customers",
      w.admin.token,
      "code,kind,name\rCR-1,pharmacy,回车药房\rCR-2,pharmacy,回车二药房\r",
    );
    expect(res.body).toMatchObject({ imported: 2, failed: 0 });
    expect((await byCode("CR-2"))?.name).toBe("回车二药房");
  });

  it("answers 400 naming the file for an empty body or a BOM alone, and nothing imported for a header alone", async () => {
    for (const body of [new Uint8Array(), bom(""), "\r\n\r\n"]) {
      const res = await server.upload("customers", w.admin.token, body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error).toMatchObject({ code: "validation", message: expect.stringMatching(/^file: /) });
    }
    const headerOnly = await server.upload("customers", w.admin.token, "code,kind,name\r\n");
    expect(headerOnly.status).toBe(200);
    expect(headerOnly.body).toEqual({ imported: 0, updated: 0, failed: 0, rows: [] });
  });

  it("refuses a file whose header has neither a name nor a code column", async () => {
    const res = await server.upload("customers", w.admin.token, "kind,city\nhospital,上海\n");
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/missing column name .* or code/);
  });

  it("takes the first of two columns naming the same field", async () => {
    const res = await server.upload(
      "customers",
      w.admin.token,
      "code,kind,name,名称\nDUPCOL-1,pharmacy,甲药房,乙药房\n",
    );
    expect(res.body).toMatchObject({ imported: 1, failed: 0 });
    expect((await byCode("DUPCOL-1"))?.name).toBe("甲药房");
  });
});

describe("customer import: rows good and bad", () => {
  it("saves the good rows of a mixed file and names each bad row by number and column", async () => {
    const csv = [
      "code,kind,name,owner,parent,beds,phone",
      "MIX-1,hospital,良好医院,王小明,,800,",
      "MIX-2,doctor,李医生,没有这个人,,,",
      "MIX-3,doctor,赵医生,王小明,NOPE-PARENT,,",
      "MIX-4,hospital,负床医院,王小明,,-3,",
      "MIX-5,pharmacy,好药房,张伟,,,021-64000001",
    ].join("\n");
    const res = await server.upload("customers", w.admin.token, csv);
    expect(res.body).toMatchObject({ imported: 2, updated: 0, failed: 3 });
    expect(rowOf(res.body, 2).status).toBe("ok");
    expect(rowOf(res.body, 3).error).toBe("owner: no user with id, name or email 没有这个人");
    expect(rowOf(res.body, 4).error).toMatch(
      /^parent: no department or hospital with code or name NOPE-PARENT/,
    );
    expect(rowOf(res.body, 5).error).toBe("beds: must not be negative");
    expect(rowOf(res.body, 6).status).toBe("ok");
    expect(await byCode("MIX-2")).toBeUndefined();
    expect((await byCode("MIX-5"))?.ownerId).toBe(w.repB.id);
  });

  it("creates one customer from a row repeated in the same file, the repeat counting as an update", async () => {
    const csv = "code,kind,name,city\nREP-1,pharmacy,重复药房,上海\nREP-1,pharmacy,重复药房,上海\n";
    const res = await server.upload("customers", w.admin.token, csv);
    expect(res.body).toMatchObject({ imported: 1, updated: 1, failed: 0 });
    expect(res.body.rows[1].id).toBe(res.body.rows[0].id);
    expect(await customersNamed("重复药房")).toHaveLength(1);
  });

  it("refuses over-long values with the column and stores nothing of the row", async () => {
    const csv = `code,kind,name,address\nLONG-1,hospital,${"长".repeat(5000)},\nLONG-2,hospital,短名医院,${"路".repeat(100_000)}\n`;
    const res = await server.upload("customers", w.admin.token, csv);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ imported: 0, failed: 2 });
    expect(res.body.rows[0].error).toMatch(/^name: .*200/);
    expect(res.body.rows[1].error).toMatch(/^address: .*300/);
    // The message names the limit; it does not echo the cell back.
    expect(res.body.rows[1].error.length).toBeLessThan(200);
    expect(await byCode("LONG-1")).toBeUndefined();
    expect(await byCode("LONG-2")).toBeUndefined();
  });

  it("does not echo a bad phone number or e-mail address in the row error", async () => {
    const csv = "code,kind,name,phone,email\nPII-1,pharmacy,隐私药房,tel13912345678x,li.si@@example.cn\n";
    const res = await server.upload("customers", w.admin.token, csv);
    const error = res.body.rows[0].error as string;
    expect(error).toBe("phone: must be a phone number; email: must be an email address");
    expect(error).not.toContain("13912345678");
    expect(error).not.toContain("li.si");
  });

  it("refuses a birthday that is not a calendar date (30 February, 31 April)", async () => {
    const csv =
      "code,kind,name,birthday\nBD-1,doctor,王五,1968/2/30\nBD-2,doctor,王六,4月31日\nBD-3,doctor,王七,1970/2/28\n";
    const res = await server.upload("customers", w.admin.token, csv);
    expect(rowOf(res.body, 4).status).toBe("ok");
    expect(rowOf(res.body, 2), JSON.stringify(res.body.rows)).toMatchObject({
      status: "error",
      error: expect.stringMatching(/^birthday: /),
    });
    expect(rowOf(res.body, 3)).toMatchObject({
      status: "error",
      error: expect.stringMatching(/^birthday: /),
    });
    expect(await byCode("BD-1")).toBeUndefined();
    // The schema is shared: the API refuses the same day, and takes 29 February without a year.
    const doctor = rowOf(res.body, 4).id as string;
    const bad = await server.request("PATCH", `/api/customers/${doctor}`, w.admin.token, {
      birthday: "02-30",
    });
    expect(bad.status).toBe(400);
    const leap = await server.request("PATCH", `/api/customers/${doctor}`, w.admin.token, {
      birthday: "02-29",
    });
    expect(leap.status, JSON.stringify(leap.body)).toBe(200);
  });
});

describe("customer import: re-imports", () => {
  it("a list re-imported with external codes updates the customers it created without them", async () => {
    const first = await server.upload(
      "customers",
      w.admin.token,
      "kind,name,city\npharmacy,康宁大药房,杭州\n",
    );
    expect(first.body).toMatchObject({ imported: 1, failed: 0 });
    const again = await server.upload(
      "customers",
      w.admin.token,
      "code,kind,name,city\nKN-001,pharmacy,康宁大药房,杭州\n",
    );
    expect(again.body.rows[0], JSON.stringify(again.body)).toMatchObject({
      status: "updated",
      id: first.body.rows[0].id,
    });
    expect(await customersNamed("康宁大药房")).toHaveLength(1);
    expect((await byCode("KN-001"))?.id).toBe(first.body.rows[0].id);
  });

  it("refuses a new code for a customer matched by natural key that already has another external code", async () => {
    await server.upload("customers", w.admin.token, "code,kind,name,city\nEXT-1,pharmacy,双码药房,杭州\n");
    const res = await server.upload(
      "customers",
      w.admin.token,
      "code,kind,name,city\nEXT-2,pharmacy,双码药房,杭州\n",
    );
    expect(res.body.rows[0]).toMatchObject({
      status: "error",
      error: expect.stringMatching(/^code: .*EXT-1/),
    });
    expect(await byCode("EXT-2")).toBeUndefined();
    expect(await customersNamed("双码药房")).toHaveLength(1);
  });

  it("re-importing an old list does not grant again the SMS consent the customer withdrew", async () => {
    const doctor = await customerId(server, w.admin.token, "DOC-001");
    expect((await byCode("DOC-001"))?.smsConsent).toBe("granted");
    const withdraw = await server.request("PATCH", `/api/customers/${doctor}`, w.admin.token, {
      consent: { sms: { state: "withdrawn", method: "sms_reply", evidence: "回复 R" } },
    });
    expect(withdraw.status, JSON.stringify(withdraw.body)).toBe(200);
    expect((await byCode("DOC-001"))?.smsConsent).toBe("withdrawn");

    // The same CRM export as at the start (its row still says 同意 with the old paper form).
    const res = await server.upload("customers", w.admin.token, fixture("customers-gbk.csv"));
    expect(res.status).toBe(200);
    expect(rowOf(res.body, 4)).toMatchObject({
      status: "updated",
      warning: expect.stringMatching(/^短信同意 \(smsConsent\): left withdrawn/),
    });
    expect((await byCode("DOC-001"))?.smsConsent).toBe("withdrawn");
    const ledger = await server.database.db
      .select()
      .from(consentEvents)
      .where(and(eq(consentEvents.customerId, doctor), eq(consentEvents.channel, "sms")));
    expect(ledger.map((e) => e.state).sort()).toEqual(["granted", "withdrawn"]);
  });
  it("a withdrawal in the file is honoured: it can only stop messages", async () => {
    const csv = "kind,name,city,短信同意\npharmacy,撤回药房,上海,同意\n";
    expect((await server.upload("customers", w.admin.token, csv)).body.imported).toBe(1);
    const id = (await customersNamed("撤回药房"))[0].id;
    expect((await byCode((await customersNamed("撤回药房"))[0].code))?.smsConsent).toBe("granted");
    const res = await server.upload("customers", w.admin.token, csv.replace(",同意", ",撤回"));
    expect(res.body.rows[0]).toMatchObject({ status: "updated", id });
    expect(res.body.rows[0].warning).toBeUndefined();
    expect((await customersNamed("撤回药房"))[0].smsConsent).toBe("withdrawn");
  });

  it("two simultaneous uploads of the same new list create each customer once", async () => {
    const lines = ["kind,name,city"];
    for (let i = 0; i < 200; i++) lines.push(`pharmacy,并发药房${i},上海`);
    const csv = lines.join("\n");
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => server.upload("customers", w.admin.token, csv)));
    expect([a, b, c].map((r) => r.body.failed)).toEqual([0, 0, 0]);
    expect([a, b, c].reduce((n, r) => n + r.body.imported, 0)).toBe(200);
    const all = await server.database.db.select({ name: customers.name }).from(customers);
    expect(all.filter((x) => x.name.startsWith("并发药房"))).toHaveLength(200);
  });
});

describe("customer import: audit, export and access", () => {
  it("leaves an audit row per created and per changed customer, via import, naming the admin", async () => {
    const create = await server.upload(
      "customers",
      w.admin.token,
      "code,kind,name,beds\nAUD-1,hospital,审计医院,100\n",
    );
    const id = create.body.rows[0].id as string;
    await server.upload("customers", w.admin.token, "code,kind,name,beds\nAUD-1,hospital,审计医院,250\n");
    const audit = await server.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "customer"), eq(auditLog.entityId, id)));
    expect(audit.map((a) => a.action).sort()).toEqual(["create", "update"]);
    for (const a of audit) expect(a).toMatchObject({ actorId: w.admin.id, via: "import" });
    const update = audit.find((a) => a.action === "update");
    expect(update?.before).toMatchObject({ beds: 100 });
    expect(update?.after).toMatchObject({ beds: 250 });
  });

  it("stores a formula-like name as text and defuses it in the churn report's CSV", async () => {
    const res = await server.upload(
      "customers",
      w.admin.token,
      'code,kind,name,owner\nFX-1,pharmacy,"=HYPERLINK(""http://evil.example"",""点我"")",王小明\nFX-2,pharmacy,@SUM(1+1),王小明\n',
    );
    expect(res.body).toMatchObject({ imported: 2, failed: 0 });
    expect((await byCode("FX-1"))?.name).toBe('=HYPERLINK("http://evil.example","点我")');
    // Old purchases make both stores overdue, so the churn report lists them.
    const buys = await server.upload(
      "purchases",
      w.admin.token,
      "buyerCode,productCode,date,quantity,amountCny\nFX-1,P001,2026-03-01,3,75\nFX-1,P001,2026-04-01,3,75\nFX-2,P001,2026-04-01,3,75\n",
    );
    expect(buys.body.failed).toBe(0);
    const csv = await server.raw("/api/reports/churn?format=csv", w.admin.token);
    expect(csv.status).toBe(200);
    const text = csv.bytes.toString("utf8");
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"")"`);
    expect(text).toContain(",'@SUM(1+1),");
    expect(text).not.toMatch(/(^|,)"?[=@]/m);
  });

  it("is refused to finance (403) and leaves no customer behind", async () => {
    const res = await server.upload(
      "customers",
      w.finance.token,
      "code,kind,name\nFIN-1,pharmacy,财务药房\n",
    );
    expect(res.status).toBe(403);
    expect(await byCode("FIN-1")).toBeUndefined();
  });
});
