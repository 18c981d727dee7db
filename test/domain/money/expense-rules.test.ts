import { describe, expect, it } from "vitest";
import {
  checkExpense,
  type ExpenseContext,
  type ExpenseInput,
  nextRef,
  normalizeInvoiceNo,
  parseRef,
} from "../../../src/domain/expenses/expense-rules";

const input = (over: Partial<ExpenseInput> = {}): ExpenseInput => ({
  repId: "rep1",
  kind: "reimbursement",
  category: "travel",
  amountCny: 500,
  date: "2026-11-20",
  invoiceNo: "INV-001",
  ...over,
});

const ctx = (over: Partial<ExpenseContext> = {}): ExpenseContext => ({
  invoiceMatch: null,
  sameDayDuplicates: 0,
  budget: { amountCny: 3000, committedCny: 1000 },
  settings: { perHeadCapCny: 300, overBudget: "escalate", noBudget: "allow" },
  ...over,
});

describe("checkExpense", () => {
  it("passes within budget and shows what remains", () => {
    expect(checkExpense(input(), ctx())).toEqual({
      ok: true,
      value: { warnings: [], escalate: 0, remainingCny: 2000 },
    });
  });

  it("rejects an amount with three decimals", () => {
    const r = checkExpense(input({ amountCny: 12.345 }), ctx());
    expect(r.ok || r.error.messageKey).toBe("expense.invalid_amount");
  });

  it("requires an invoice number on a reimbursement but not on a pre-approval", () => {
    const r = checkExpense(input({ invoiceNo: "  " }), ctx());
    expect(r.ok || r.error.messageKey).toBe("expense.invoice_required");
    expect(checkExpense(input({ kind: "pre_approval", invoiceNo: null }), ctx()).ok).toBe(true);
  });

  it("blocks an invoice number already used by anyone", () => {
    const r = checkExpense(input(), ctx({ invoiceMatch: { ref: "E7", repId: "rep2" } }));
    expect(r.ok ? null : r.error).toMatchObject({ code: "duplicate", messageKey: "expense.invoice_used" });
  });

  it("normalizes invoice numbers typed with spaces, case or full-width digits", () => {
    expect(normalizeInvoiceNo(" inv 00１ ")).toBe("INV001");
  });

  it("warns on the same rep, amount, date and category", () => {
    const r = checkExpense(input(), ctx({ sameDayDuplicates: 1 }));
    expect(r.ok && r.value.warnings).toEqual(["possible_duplicate"]);
  });

  describe("hospitality", () => {
    const hosp = (amountCny: number, attendees: string[]) =>
      input({ category: "hospitality", amountCny, attendees });

    it("requires at least one attendee", () => {
      const r = checkExpense(hosp(200, []), ctx());
      expect(r.ok || r.error.messageKey).toBe("expense.attendees_required");
    });

    it("allows exactly the per-head cap, counting the rep", () => {
      expect(checkExpense(hosp(900, ["Dr Li", "Dr Wang"]), ctx()).ok).toBe(true);
    });

    it("rejects one fen above the per-head cap", () => {
      const r = checkExpense(hosp(900.01, ["Dr Li", "Dr Wang"]), ctx());
      expect(r.ok ? null : r.error).toMatchObject({
        code: "validation",
        messageKey: "expense.over_per_head_cap",
        params: { cap: 300, perHead: 300 },
      });
    });
  });

  describe("budget", () => {
    it("allows exactly the remaining budget", () => {
      expect(checkExpense(input({ amountCny: 2000 }), ctx()).ok).toBe(true);
    });

    it("escalates one level when over budget and the policy is escalate", () => {
      const r = checkExpense(input({ amountCny: 2000.01 }), ctx());
      expect(r.ok && r.value).toEqual({
        warnings: ["over_budget_escalated"],
        escalate: 1,
        remainingCny: 2000,
      });
    });

    it("blocks when over budget and the policy is block", () => {
      const settings = { perHeadCapCny: 300, overBudget: "block" as const, noBudget: "allow" as const };
      const r = checkExpense(input({ amountCny: 2000.01 }), ctx({ settings }));
      expect(r.ok ? null : r.error).toMatchObject({
        code: "over_budget",
        messageKey: "expense.over_budget",
        params: { remaining: 2000 },
      });
    });

    it("lets a request through with a note when no budget is set", () => {
      const r = checkExpense(input(), ctx({ budget: null }));
      expect(r.ok && r.value).toEqual({ warnings: ["no_budget"], escalate: 0, remainingCny: null });
    });

    it("blocks without a budget when the setting says block", () => {
      const settings = { perHeadCapCny: 300, overBudget: "escalate" as const, noBudget: "block" as const };
      const r = checkExpense(input(), ctx({ budget: null, settings }));
      expect(r.ok || r.error.messageKey).toBe("expense.no_budget");
    });
  });
});

describe("refs", () => {
  it("numbers the next request from the sequence", () => {
    expect(nextRef(0)).toBe("E1");
    expect(nextRef(41)).toBe("E42");
  });

  it("reads a ref typed in any case or full width", () => {
    expect(parseRef("e42")).toBe(42);
    expect(parseRef("Ｅ４２")).toBe(42);
    expect(parseRef("E4x")).toBeNull();
  });
});
