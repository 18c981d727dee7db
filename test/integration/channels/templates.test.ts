import { describe, expect, it } from "vitest";
import { isProductFree } from "../../../src/domain/care/eligibility";
import { verifySigned } from "../../../src/lib/secrets";
import {
  type CareGreetingData,
  careOccasions,
  parseCareGreeting,
  redactContacts,
  renderCareEmail,
  renderCareSms,
  unsubscribeUrl,
} from "../../../src/notify/customer-templates";

const PRODUCTS = ["立普妥", "阿托伐他汀钙片", "Lipitor", "atorvastatin"];
const base: CareGreetingData = {
  customerName: "张伟",
  title: "主任",
  repName: "王小明",
  occasions: ["birthday"],
};

describe("care greeting templates", () => {
  it("every occasion, both languages: signature first, 「拒收请回复R」 last, no product, price or benefit", () => {
    for (const locale of ["zh-CN", "en"])
      for (const occasion of careOccasions) {
        const d = { ...base, occasions: [occasion] };
        const { text } = renderCareSms(d, locale, "某某医药");
        expect(text.startsWith("【某某医药】"), text).toBe(true);
        expect(text.endsWith("拒收请回复R"), text).toBe(true);
        expect(text).toContain("张伟");
        expect(text).toContain("王小明");
        expect(isProductFree(text, PRODUCTS), text).toBe(true);
        const mail = renderCareEmail(d, locale, "https://crm.example.com/unsubscribe?token=x.y");
        for (const part of [mail.subject, mail.text, mail.html])
          expect(isProductFree(part, PRODUCTS), part).toBe(true);
      }
  });

  it("shares one message between occasions on the same day", () => {
    const d = { ...base, occasions: ["national_day", "mid_autumn"] as CareGreetingData["occasions"] };
    expect(renderCareSms(d, "zh-CN", "【某某医药】").text).toContain("国庆快乐、中秋快乐");
    expect(renderCareSms(d, "en", "【某某医药】").text).toBe(
      "【某某医药】Dear 主任 张伟, Happy National Day and Happy Mid-Autumn Festival! Wishing you and your family good health. Best regards, 王小明. Reply R to opt out. 拒收请回复R",
    );
  });

  it("escapes names in the HTML and carries the unsubscribe link in both bodies", () => {
    const link = unsubscribeUrl("https://crm.example.com/", "secret-secret-secret", "c1");
    const mail = renderCareEmail({ ...base, customerName: "<b>张伟</b>" }, "zh-CN", link);
    expect(mail.html).not.toContain("<b>张伟</b>");
    expect(mail.html).toContain("&lt;b&gt;张伟&lt;/b&gt;");
    expect(mail.text).toContain(link);
    const token = decodeURIComponent(new URL(link).searchParams.get("token")!);
    expect(JSON.parse(verifySigned("secret-secret-secret", token)!)).toEqual({ c: "c1", ch: "email" });
    expect(link.startsWith("https://crm.example.com/unsubscribe?token=")).toBe(true);
  });

  it("rejects data the care job should never write", () => {
    expect(parseCareGreeting({ customerName: "张伟", repName: "王小明", occasions: [] })).toBeNull();
    expect(
      parseCareGreeting({ customerName: "张伟", repName: "王小明", occasions: ["black_friday"] }),
    ).toBeNull();
    expect(parseCareGreeting({ ...base, title: null })).not.toBeNull();
  });

  it("keeps addresses out of stored and logged error texts", () => {
    expect(redactContacts("550 5.1.1 <zhang.wei@example.com>: Recipient address rejected")).toBe(
      "550 5.1.1 <[email]>: Recipient address rejected",
    );
    expect(redactContacts("INVALID_MOBILE: +8613800138000 is empty")).toBe(
      "INVALID_MOBILE: [phone] is empty",
    );
    expect(redactContacts("HTTP 400 TEMPLATE_PARAMS_MISMATCH")).toBe("HTTP 400 TEMPLATE_PARAMS_MISMATCH");
  });
});
