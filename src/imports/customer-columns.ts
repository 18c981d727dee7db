import type { CustomerRow } from "../db/repos/customers";
import type { AliasTable, SheetRow } from "./headers";
import {
  birthdayCell,
  boolCell,
  channelCell,
  cityTierCell,
  consentStateCell,
  kindCell,
  numberCell,
  stageCell,
} from "./values";

export type CustomerField =
  | "code"
  | "kind"
  | "name"
  | "parent"
  | "parentHospital"
  | "parentDepartment"
  | "owner"
  | "city"
  | "cityTier"
  | "area"
  | "address"
  | "phone"
  | "email"
  | "birthday"
  | "beds"
  | "dailyOutpatients"
  | "monthlyPurchaseCny"
  | "monthlySalesCny"
  | "ourMonthlySalesCny"
  | "department"
  | "title"
  | "kol"
  | "smsConsent"
  | "emailConsent"
  | "consentEvidence"
  | "preferredChannel"
  | "stage";

export const customerColumns: AliasTable<CustomerField> = {
  code: ["编码", "客户编码", "customer code", "external code"],
  kind: ["类型", "客户类型", "type"],
  name: ["名称", "客户名称", "姓名", "customer name"],
  parent: ["上级", "上级编码", "parent code", "parentId"],
  parentHospital: ["所属医院", "hospital"],
  parentDepartment: ["所属科室"],
  owner: ["负责人", "代表", "ownerId", "rep"],
  city: ["城市"],
  cityTier: ["城市级别", "城市等级", "city tier"],
  area: ["区域", "片区"],
  address: ["地址"],
  phone: ["电话", "手机", "mobile"],
  email: ["邮箱", "电子邮件", "e-mail"],
  birthday: ["生日"],
  beds: ["床位数", "床位"],
  dailyOutpatients: ["日门诊量", "daily outpatients"],
  monthlyPurchaseCny: ["月采购额", "monthly purchase cny"],
  monthlySalesCny: ["月销售额", "monthly sales cny"],
  ourMonthlySalesCny: ["我司月销售额", "our monthly sales cny"],
  department: ["科室"],
  title: ["职称"],
  kol: ["是否kol"],
  smsConsent: ["短信同意", "sms consent"],
  emailConsent: ["邮件同意", "email consent"],
  consentEvidence: ["同意凭证", "consent evidence"],
  preferredChannel: ["首选渠道", "preferred channel"],
  stage: ["阶段"],
};

/** The schema field a zod issue path points at → the CSV column it came from. */
export const columnOfIssue = (path: string[], parentField: CustomerField): CustomerField => {
  if (path[0] === "parentId") return parentField;
  if (path[0] === "ownerId") return "owner";
  if (path[0] === "consent")
    return path[2] === "evidence" ? "consentEvidence" : path[1] === "email" ? "emailConsent" : "smsConsent";
  return path[0] as CustomerField;
};

const consentOf = (v: SheetRow<CustomerField>["values"], field: "smsConsent" | "emailConsent") =>
  v[field] === undefined
    ? undefined
    : { state: consentStateCell(v[field]), method: "import", evidence: v.consentEvidence };

/** A row's cells under the customer schema's field names (only the cells the row fills). */
export const customerInput = (v: SheetRow<CustomerField>["values"]) => {
  const sms = consentOf(v, "smsConsent");
  const email = consentOf(v, "emailConsent");
  const input: Record<string, unknown> = {
    code: v.code,
    kind: kindCell(v.kind),
    name: v.name,
    city: v.city,
    cityTier: cityTierCell(v.cityTier),
    area: v.area,
    address: v.address,
    phone: v.phone,
    email: v.email,
    birthday: birthdayCell(v.birthday),
    beds: numberCell(v.beds),
    dailyOutpatients: numberCell(v.dailyOutpatients),
    monthlyPurchaseCny: numberCell(v.monthlyPurchaseCny),
    monthlySalesCny: numberCell(v.monthlySalesCny),
    ourMonthlySalesCny: numberCell(v.ourMonthlySalesCny),
    department: v.department,
    title: v.title,
    kol: boolCell(v.kol),
    preferredChannel: channelCell(v.preferredChannel),
    stage: stageCell(v.stage),
    consent: sms || email ? { ...(sms ? { sms } : {}), ...(email ? { email } : {}) } : undefined,
  };
  for (const k of Object.keys(input)) if (input[k] === undefined) delete input[k];
  return input;
};

/** Column defaults of a customer row, to keep rows created by this import in the same maps as loaded ones. */
export const CUSTOMER_DEFAULTS: Omit<
  CustomerRow,
  "id" | "code" | "kind" | "name" | "ownerId" | "createdAt" | "updatedAt"
> = {
  parentId: null,
  city: null,
  cityTier: null,
  area: null,
  address: null,
  phone: null,
  email: null,
  wecomExternalId: null,
  birthday: null,
  timezone: null,
  preferences: null,
  bestVisitSlot: null,
  stage: "to_identify",
  preferredChannel: null,
  locale: "zh-CN",
  smsConsent: "none",
  emailConsent: "none",
  beds: null,
  dailyOutpatients: null,
  monthlyPurchaseCny: null,
  monthlySalesCny: null,
  ourMonthlySalesCny: null,
  chain: null,
  department: null,
  title: null,
  kol: false,
  tier: null,
  active: true,
  erasedAt: null,
};
