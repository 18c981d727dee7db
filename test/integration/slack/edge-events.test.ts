import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId, nowIso } from "../../../src/db/ids";
import { generateBindCode } from "../../../src/db/repos/bind-codes";
import { chatEvents, customers, outbox, receipts, users } from "../../../src/db/schema";
import { buildWorld, type SlackApp, sign, startSlackApp, waitFor } from "./harness";
import { type ApiCall, type StandIn, startStandIn } from "./stand-in";

const blocksOf = (c: ApiCall): any[] => (c.params.blocks ? JSON.parse(c.params.blocks) : []);
const buttonsOf = (c: ApiCall) =>
  blocksOf(c).flatMap((b) =>
    b.type === "actions" ? b.elements.filter((e: any) => e.type === "button") : [],
  );
const textOf = (c: ApiCall) => String(c.params.text ?? "");
/** Everything a message shows: its text and every string inside its blocks. */
const visibleOf = (c: ApiCall) => `${textOf(c)}\n${c.params.blocks ?? ""}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CJK = /[\u4e00-\u9fff]/;

describe("Slack edge cases: events, signatures, strangers, files, slash commands", () => {
  let api: StandIn;
  let app: SlackApp;
  let w: Awaited<ReturnType<typeof buildWorld>>;
  beforeAll(async () => {
    api = await startStandIn();
    app = await startSlackApp(api);
    w = await buildWorld(app);
    // Customers' personal data that must never reach a rep's chat (DOMAIN.md §9).
    await app.database.db
      .update(customers)
      .set({ phone: "13912345678", email: "wang.jianguo@hospital.example.cn" })
      .where(eq(customers.id, w.wang));
    await app.database.db
      .update(customers)
      .set({ phone: "010-69156114", email: "info@pumch.example.cn" })
      .where(eq(customers.id, w.xiehe));
    await app.database.db
      .update(customers)
      .set({ phone: "13800001111", email: "kangmei@store.example.cn" })
      .where(eq(customers.id, w.store));
  });
  afterAll(async () => {
    await app.close();
    await api.close();
  });

  const events = () => app.database.db.select().from(chatEvents).all();
  const postsTo = (channel: string, from: number) =>
    api.calls.slice(from).filter((c) => c.method === "chat.postMessage" && c.params.channel === channel);
  const nextPost = (channel: string, from: number, match: (c: ApiCall) => boolean = () => true) =>
    waitFor(() => postsTo(channel, from).find(match), 8000, `a post to ${channel}`);
  /** Lets the outbox drain, then counts what reached Slack. */
  const settle = () => sleep(600);

  const eventBody = (eventId: string, event: Record<string, unknown>) =>
    JSON.stringify({
      type: "event_callback",
      team_id: "T1",
      api_app_id: "A1",
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      event,
    });

  describe("signatures", () => {
    const raw = (body: string, headers: Record<string, string>, contentType = "application/json") =>
      fetch(`${app.url}/slack/events`, {
        method: "POST",
        headers: { "content-type": contentType, ...headers },
        body,
      });

    it("refuses forged, tampered and stale requests of every kind with 401", async () => {
      const before = { calls: api.calls.length, events: (await events()).length };
      const now = Math.floor(Date.now() / 1000);
      const dmBody = eventBody("EvSig1", {
        type: "message",
        channel_type: "im",
        channel: "DREP",
        user: "UREP",
        text: "帮助",
        ts: "1.1",
      });
      const commandBody = new URLSearchParams({
        command: "/plan",
        text: "",
        user_id: "UREP",
        channel_id: "C1",
        trigger_id: "trig-sig",
      }).toString();
      const clickBody = `payload=${encodeURIComponent(
        JSON.stringify({
          type: "block_actions",
          user: { id: "UMGR" },
          actions: [{ action_id: "rm:0", value: "approval:approve:x", action_ts: "9.9" }],
        }),
      )}`;
      const form = "application/x-www-form-urlencoded";
      const statuses = [
        // wrong secret
        (
          await raw(dmBody, {
            "x-slack-request-timestamp": `${now}`,
            "x-slack-signature": sign(dmBody, now, "nope"),
          })
        ).status,
        // signed body, then changed
        (
          await raw(dmBody.replace("帮助", "拜访"), {
            "x-slack-request-timestamp": `${now}`,
            "x-slack-signature": sign(dmBody, now),
          })
        ).status,
        // the signature of another timestamp
        (
          await raw(dmBody, {
            "x-slack-request-timestamp": `${now}`,
            "x-slack-signature": sign(dmBody, now - 1),
          })
        ).status,
        // correctly signed, but 5 min 30 s old
        (await app.post(dmBody, "application/json", {}, now - 330)).status,
        // stale slash command and stale click
        (await app.post(commandBody, form, {}, now - 6 * 60)).status,
        (await app.post(clickBody, form, {}, now - 6 * 60)).status,
        // garbage in the headers
        (await raw(dmBody, { "x-slack-request-timestamp": "soon", "x-slack-signature": "v0=zz" })).status,
        (await raw(commandBody, { "x-slack-request-timestamp": `${now}` }, form)).status,
        // url_verification must be signed too
        (
          await raw(JSON.stringify({ type: "url_verification", challenge: "c" }), {
            "x-slack-request-timestamp": `${now}`,
            "x-slack-signature": "v0=00",
          })
        ).status,
      ];
      expect(statuses).toEqual(Array(statuses.length).fill(401));
      await settle();
      expect(api.calls.length).toBe(before.calls);
      expect((await events()).length).toBe(before.events);
      expect(await app.database.db.select().from(outbox).all()).toEqual([]);
    });

    it("accepts a correctly signed request 4 minutes old (inside the 5-minute window)", async () => {
      const from = api.calls.length;
      const now = Math.floor(Date.now() / 1000);
      const body = eventBody("EvSig4min", {
        type: "message",
        channel_type: "im",
        channel: "DREP",
        user: "UREP",
        text: "帮助",
        ts: `${now}.000100`,
      });
      const r = await app.post(body, "application/json", {}, now - 240);
      expect(r.status).toBe(200);
      await nextPost("DREP", from);
    });

    it("answers url_verification with the challenge and nothing else", async () => {
      const r = await app.post(
        JSON.stringify({
          token: "t",
          type: "url_verification",
          challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
        }),
        "application/json",
      );
      expect(r.status).toBe(200);
      expect(JSON.parse(r.text)).toEqual({
        challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
      });
    });
  });

  describe("retries and duplicates", () => {
    it("a retry arriving before the first delivery is answered is still done once", async () => {
      const from = api.calls.length;
      const [a, b, c] = await Promise.all([
        app.dm("UREP", "帮助", { event_id: "EvRace" }),
        app.dm(
          "UREP",
          "帮助",
          { event_id: "EvRace" },
          { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" },
        ),
        app.dm(
          "UREP",
          "帮助",
          { event_id: "EvRace" },
          { "x-slack-retry-num": "2", "x-slack-retry-reason": "http_error" },
        ),
      ]);
      expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
      await nextPost("DREP", from);
      await settle();
      expect((await events()).filter((e) => e.eventId === "EvRace").length).toBe(1);
      const rows = (await app.database.db.select().from(outbox).all()).filter((r) =>
        r.dedupeKey.startsWith("reply:EvRace:"),
      );
      expect(rows.length).toBeGreaterThan(0);
      expect(postsTo("DREP", from).length).toBe(rows.length);
    });

    it("the same words as a new event id are a new message, answered again", async () => {
      let from = api.calls.length;
      await app.dm("UREP", "计划", { event_id: "EvSameA" });
      const first = await nextPost("DREP", from);
      await settle();
      const n1 = postsTo("DREP", from).length;
      from = api.calls.length;
      await app.dm("UREP", "计划", { event_id: "EvSameB" });
      const second = await nextPost("DREP", from);
      await settle();
      expect(postsTo("DREP", from).length).toBe(n1);
      expect(textOf(second)).toBe(textOf(first));
      const ids = (await events()).map((e) => e.eventId);
      expect(ids).toEqual(expect.arrayContaining(["EvSameA", "EvSameB"]));
    });

    it("a retry of a message whose first reply failed to send is not answered twice", async () => {
      api.failNext("chat.postMessage", { status: 500 });
      const from = api.calls.length;
      await app.dm("UREP", "帮助", { event_id: "EvRetryAfterFail" });
      await waitFor(() => api.calls.slice(from).some((c) => c.method === "chat.postMessage"));
      await app.dm(
        "UREP",
        "帮助",
        { event_id: "EvRetryAfterFail" },
        { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" },
      );
      await settle();
      expect((await events()).filter((e) => e.eventId === "EvRetryAfterFail").length).toBe(1);
      const rows = (await app.database.db.select().from(outbox).all()).filter((r) =>
        r.dedupeKey.startsWith("reply:EvRetryAfterFail:"),
      );
      expect(rows.length).toBe(1);
    });
  });

  describe("what the bot must not answer", () => {
    it("ignores its own messages, edits, deletions, other bots, joins and non-DM channels", async () => {
      const before = { calls: api.calls.length, events: (await events()).length };
      const now = `${Date.now() / 1000}`;
      const deliveries: Record<string, unknown>[] = [
        // The bot's own reply echoed back.
        {
          type: "message",
          channel_type: "im",
          channel: "DREP",
          user: "UBOT",
          bot_id: "BBOT",
          text: "帮助",
          ts: now,
        },
        {
          type: "message",
          subtype: "bot_message",
          channel_type: "im",
          channel: "DREP",
          bot_id: "BBOT",
          text: "拜访",
          ts: now,
        },
        // Another bot posting in the DM.
        {
          type: "message",
          subtype: "bot_message",
          channel_type: "im",
          channel: "DREP",
          bot_id: "BOTHER",
          username: "x",
          text: "报销 100",
          ts: now,
        },
        // Edits and deletions of the rep's own messages.
        {
          type: "message",
          subtype: "message_changed",
          channel_type: "im",
          channel: "DREP",
          hidden: true,
          ts: now,
          message: {
            type: "message",
            user: "UREP",
            text: "拜访 协和",
            ts: "1.1",
            edited: { user: "UREP", ts: now },
          },
          previous_message: { type: "message", user: "UREP", text: "拜访", ts: "1.1" },
        },
        {
          type: "message",
          subtype: "message_deleted",
          channel_type: "im",
          channel: "DREP",
          hidden: true,
          deleted_ts: "1.1",
          ts: now,
          previous_message: { type: "message", user: "UREP", text: "拜访", ts: "1.1" },
        },
        {
          type: "message",
          subtype: "channel_join",
          channel_type: "channel",
          channel: "C1",
          user: "UREP",
          text: "<@UREP> has joined",
          ts: now,
        },
        {
          type: "message",
          subtype: "channel_join",
          channel_type: "im",
          channel: "DREP",
          user: "UREP",
          text: "joined",
          ts: now,
        },
        {
          type: "message",
          subtype: "thread_broadcast",
          channel_type: "im",
          channel: "DREP",
          user: "UREP",
          text: "帮助",
          ts: now,
        },
        // A plain message in a public channel or a group DM.
        { type: "message", channel_type: "channel", channel: "C1", user: "UREP", text: "帮助", ts: now },
        { type: "message", channel_type: "mpim", channel: "G1", user: "UREP", text: "帮助", ts: now },
      ];
      let i = 0;
      for (const event of deliveries) {
        const r = await app.post(eventBody(`EvIgnored${++i}`, event), "application/json");
        expect(r.status).toBe(200);
      }
      await settle();
      expect(api.calls.slice(before.calls).filter((c) => c.method.startsWith("chat."))).toEqual([]);
      expect((await events()).length).toBe(before.events);
    });

    it("answers a plain DM after all that (nothing got stuck)", async () => {
      const from = api.calls.length;
      await app.dm("UREP", "帮助");
      const r = await nextPost("DREP", from);
      expect(textOf(r)).toContain("拜访");
    });
  });

  describe("a Slack user we don't know", () => {
    it("gets one polite answer in Chinese per message; a retry adds nothing; nothing is recorded for them", async () => {
      const from = api.calls.length;
      const r = await app.dm("UNOBODY", "报销 餐费 300元", { event_id: "EvStranger1" });
      expect(r.status).toBe(200);
      const reply = await nextPost("DNOBODY", from);
      expect(textOf(reply)).toContain("管理员");
      await app.dm("UNOBODY", "报销 餐费 300元", { event_id: "EvStranger1" }, { "x-slack-retry-num": "1" });
      await settle();
      expect(postsTo("DNOBODY", from).length).toBe(1);
      expect(buttonsOf(reply)).toEqual([]);
      const known = await app.database.db.select().from(users).where(eq(users.slackUserId, "UNOBODY"));
      expect(known).toEqual([]);
    });

    it("is answered in English when Slack reports an English locale", async () => {
      api.failNext("users.info", {
        status: 200,
        body: { ok: true, user: { id: "UVISITOR", locale: "en-US", profile: {} } },
      });
      const from = api.calls.length;
      await app.dm("UVISITOR", "hello");
      const reply = await nextPost("DVISITOR", from);
      expect(textOf(reply)).toMatch(/ask your admin/i);
      expect(textOf(reply)).not.toMatch(CJK);
    });

    it("a stranger's slash command and button tap are answered, not crashed on", async () => {
      const from = api.calls.length;
      const cmd = await app.command("UNOBODY2", "/visit", "协和 王主任");
      expect(cmd.status).toBe(200);
      const reply = await waitFor(() =>
        api.calls
          .slice(from)
          .find((c) => c.method === "chat.postMessage" && /UNOBODY2|DNOBODY2/.test(c.params.channel)),
      );
      expect(textOf(reply)).toContain("管理员");
      const from2 = api.calls.length;
      const tap = await app.click("UNOBODY2", "DNOBODY2", "approval:approve:nope");
      expect(tap.status).toBe(200);
      const note = await waitFor(() => api.calls.slice(from2).find((c) => c.method === "chat.postEphemeral"));
      expect(note.params.user).toBe("UNOBODY2");
      expect(textOf(note)).toContain("管理员");
    });

    it("users.info failing does not crash the turn: still one polite answer", async () => {
      api.failNext("users.info", { status: 200, body: { ok: false, error: "user_not_found" } });
      const from = api.calls.length;
      await app.dm("UGHOST", "帮助");
      const reply = await nextPost("DGHOST", from);
      expect(textOf(reply)).toContain("管理员");
      await settle();
      expect(postsTo("DGHOST", from).length).toBe(1);
    });
  });

  describe("more deliveries", () => {
    it("Slack's unsigned ssl_check probe is answered 200 and processes nothing", async () => {
      const from = api.calls.length;
      const r = await fetch(`${app.url}/slack/events`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "ssl_check=1&token=abc",
      });
      expect(r.status).toBe(200);
      expect(await r.text()).toBe("");
      await settle();
      expect(api.calls.length).toBe(from);
    });

    it("a deactivated user is treated as unknown", async () => {
      const id = newId();
      await app.database.db.insert(users).values({
        id,
        name: "离职代表",
        role: "rep",
        managerId: w.manager,
        slackUserId: "UGONE",
        active: false,
        locale: "zh-CN",
        createdAt: nowIso(),
        updatedAt: nowIso(),
      });
      const from = api.calls.length;
      await app.dm("UGONE", "拜访 协和 王主任 昨天 评级6");
      const reply = await nextPost("DGONE", from);
      expect(textOf(reply)).toContain("管理员");
      await settle();
      expect(postsTo("DGONE", from).length).toBe(1);
    });

    it("a choice picked from a select menu is taken like a button", async () => {
      await app.dm("UREP", "取消");
      await sleep(250);
      let from = api.calls.length;
      await app.dm("UREP", "拜访 协和 王主任 昨天 评级6");
      const confirm = await nextPost("DREP", from, (c) => buttonsOf(c).length > 0);
      const select = blocksOf(confirm)
        .flatMap((b) => (b.type === "actions" ? b.elements : []))
        .find((e: any) => e.type === "static_select");
      expect(select).toBeDefined();
      const option = select.options.find((o: any) => o.value === "opt:method") ?? select.options[0];
      from = api.calls.length;
      const r = await app.interact({
        type: "block_actions",
        team: { id: "T1" },
        user: { id: "UREP" },
        api_app_id: "A1",
        trigger_id: "trig-select",
        channel: { id: "DREP" },
        container: { type: "message", channel_id: "DREP", message_ts: "1.0" },
        actions: [
          {
            type: "static_select",
            action_id: select.action_id,
            block_id: "b",
            selected_option: option,
            action_ts: `${Date.now()}.77`,
          },
        ],
      });
      expect(r.status).toBe(200);
      const next = await nextPost("DREP", from);
      // The flow moved on to the picked field (not the same summary again).
      expect(textOf(next)).not.toBe(textOf(confirm));
      await app.dm("UREP", "取消");
      await sleep(300);
    });

    it("five quick messages from one rep are answered in the order they were sent", async () => {
      const texts = ["客户 王", "客户 康美", "客户 协和", "客户 王", "客户 康美"];
      for (const [i, t] of texts.entries()) await app.dm("UREP", t, { event_id: `EvOrder${i}` });
      // Which event each post answers, from the outbox id the post carries.
      const eventOf = new Map<string, number>();
      await waitFor(
        async () => {
          for (const r of await app.database.db.select().from(outbox).all()) {
            const m = /^reply:EvOrder(\d):/.exec(r.dedupeKey);
            if (m) eventOf.set(r.id, Number(m[1]));
          }
          return eventOf.size >= texts.length;
        },
        10_000,
        "five reply rows",
      );
      const answered = () =>
        api
          .of("chat.postMessage")
          .map((c) => eventOf.get(JSON.parse(String(c.params.metadata ?? "{}")).event_payload?.outbox_id))
          .filter((i) => i !== undefined);
      await waitFor(() => answered().length >= texts.length, 10_000, "five replies");
      expect(answered()).toEqual([0, 1, 2, 3, 4]);
      const shown = api
        .of("chat.postMessage")
        .filter((c) => eventOf.has(JSON.parse(String(c.params.metadata ?? "{}")).event_payload?.outbox_id))
        .map((c) => (textOf(c).includes("王建国") ? "王" : textOf(c).includes("康美") ? "康美" : "协和"));
      expect(shown).toEqual(["王", "康美", "协和", "王", "康美"]);
    });
  });

  describe("binding a Slack account with a code", () => {
    it("a stranger's file share gets the polite answer and downloads nothing", async () => {
      api.files.set("stranger.png", Buffer.from("x"));
      const from = api.calls.length;
      await app.dm("UFILER", "", {
        subtype: "file_share",
        files: [{ id: "FS", name: "s.png", size: 1, url_private_download: `${api.url}/files/stranger.png` }],
      });
      const reply = await nextPost("DFILER", from);
      expect(textOf(reply)).toContain("管理员");
      await settle();
      expect(api.of("file.get").filter((c) => c.params.name === "stranger.png")).toEqual([]);
    });

    it("`绑定 <code>` links the sender once; a retry and a reuse of the code do not", async () => {
      const id = newId();
      await app.database.db.insert(users).values({
        id,
        name: "吴新代表",
        role: "rep",
        managerId: w.manager,
        locale: "zh-CN",
        createdAt: nowIso(),
        updatedAt: nowIso(),
      });
      const { code } = await generateBindCode(app.database, id, w.manager);
      const from = api.calls.length;
      await app.dm("UBINDER", `绑定 ${code.toLowerCase()}`, { event_id: "EvBind" });
      const ok = await nextPost("DBINDER", from);
      expect(textOf(ok)).toContain("吴新代表");
      await app.dm("UBINDER", `绑定 ${code}`, { event_id: "EvBind" }, { "x-slack-retry-num": "1" });
      await settle();
      expect(postsTo("DBINDER", from).length).toBe(1);
      expect((await w.userRow(id))?.slackUserId).toBe("UBINDER");
      // Now known: an ordinary message is served, not "ask your admin".
      const f2 = api.calls.length;
      await app.dm("UBINDER", "帮助");
      const help = await nextPost("DBINDER", f2);
      expect(textOf(help)).not.toContain("管理员为你开通");
      // Someone else trying the same (used) code is refused.
      const f3 = api.calls.length;
      await app.dm("USECOND", `bind ${code}`);
      const bad = await nextPost("DSECOND", f3);
      expect(textOf(bad)).toContain("绑定码无效");
      expect((await w.userRow(id))?.slackUserId).toBe("UBINDER");
    });
  });

  describe("receipts shared as files", () => {
    const share = (
      file: Record<string, unknown>,
      extra: Record<string, unknown> = {},
      headers?: Record<string, string>,
    ) => app.dm("UREP", "", { subtype: "file_share", files: [file], ...extra }, headers);
    const png = Buffer.concat([Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"), Buffer.alloc(64, 7)]);

    it("reaches the receipt question", async () => {
      await app.dm("UREP", "取消");
      await sleep(300);
      const from = api.calls.length;
      await app.dm("UREP", "报销 餐费 188元 昨天 发票87654321");
      await nextPost("DREP", from, (c) => buttonsOf(c).some((b: any) => b.value === "receipt:skip"));
    });

    it("never sends the bot token to a host that is not Slack's; says the file failed", async () => {
      const from = api.calls.length;
      await share({
        id: "FEVIL",
        name: "r.png",
        mimetype: "image/png",
        size: 80,
        url_private_download: "http://attacker.example/steal.png",
      });
      const reply = await nextPost("DREP", from);
      expect(textOf(reply)).toContain("文件没能下载");
      expect(api.of("file.get").length).toBe(0);
    });

    it("refuses a file over 20 MB without downloading it", async () => {
      api.files.set("huge.png", png);
      const from = api.calls.length;
      await share({
        id: "FHUGE",
        name: "huge.png",
        mimetype: "image/png",
        size: 25 * 1024 * 1024,
        url_private_download: `${api.url}/files/huge.png`,
      });
      const reply = await nextPost("DREP", from);
      expect(textOf(reply)).toContain("文件太大");
      expect(api.of("file.get").length).toBe(0);
    });

    it("a file Slack cannot serve (404) is reported, and no receipt is stored", async () => {
      const from = api.calls.length;
      await share({
        id: "FGONE",
        name: "gone.png",
        mimetype: "image/png",
        size: 80,
        url_private_download: `${api.url}/files/missing.png`,
      });
      const reply = await nextPost("DREP", from);
      expect(textOf(reply)).toContain("文件没能下载");
      expect(await app.database.db.select().from(receipts).all()).toEqual([]);
    });

    it("a file_share without a usable file is answered without a crash, nothing downloaded", async () => {
      const from = api.calls.length;
      const calls = api.of("file.get").length;
      const a = await app.dm("UREP", "", { subtype: "file_share" });
      const b = await app.dm("UREP", "", { subtype: "file_share", files: [{ id: "FX", name: "x.png" }] });
      const c = await app.dm("UREP", "", { subtype: "file_share", files: "nope" });
      expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
      await settle();
      expect(api.of("file.get").length).toBe(calls);
      // Still at the receipt question: a further message is served in order.
      const f = api.calls.length;
      await app.dm("UREP", "帮助");
      await nextPost("DREP", f);
      expect(api.calls.slice(from).every((c2) => c2.method !== "views.open")).toBe(true);
    });

    it("a good receipt, delivered twice by Slack, is downloaded and stored once", async () => {
      api.files.set("ok.png", png);
      const from = api.calls.length;
      const file = {
        id: "FOK",
        name: "ok.png",
        mimetype: "image/png",
        size: png.length,
        url_private_download: `${api.url}/files/ok.png`,
      };
      await share(file, { event_id: "EvFileTwice" });
      await share(
        file,
        { event_id: "EvFileTwice" },
        { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" },
      );
      await nextPost("DREP", from);
      await settle();
      expect(api.of("file.get").filter((c) => c.params.name === "ok.png").length).toBe(1);
      expect((await app.database.db.select().from(receipts).all()).length).toBe(1);
      await app.dm("UREP", "取消");
      await sleep(300);
    });
  });

  describe("slash commands", () => {
    const cases: [string, string, RegExp][] = [
      ["/visit", "协和 王主任 昨天 评级6", /王建国|协和/],
      ["/visit", "", /拜访|哪/],
      ["/stock", "", /库存|药房|哪/],
      ["/expense", "", /报销|费用|金额|类别|哪/],
      ["/plan", "", /计划|拜访|没有/],
      ["/plan", "明天", /计划|拜访|没有/],
    ];
    for (const [name, text, expected] of cases)
      it(`${name} ${text ? `with "${text}"` : "without text"}: acknowledged empty at once, answered in the DM`, async () => {
        await app.dm("UREP", "取消");
        await sleep(250);
        const from = api.calls.length;
        const started = Date.now();
        const r = await app.command("UREP", name, text);
        expect(Date.now() - started).toBeLessThan(1500);
        expect(r.status).toBe(200);
        expect(r.text).toBe("");
        const reply = await nextPost("DREP", from);
        expect(visibleOf(reply)).toMatch(expected);
        expect(api.calls.slice(from).filter((c) => c.params.channel === "C-general")).toEqual([]);
      });

    it("an unknown slash command is acknowledged without a 500 and answers nothing", async () => {
      const from = api.calls.length;
      const r = await app.command("UREP", "/weather", "beijing");
      expect(r.status).toBe(200);
      await settle();
      expect(api.calls.slice(from).filter((c) => c.method.startsWith("chat."))).toEqual([]);
    });
  });

  describe("language and personal data", () => {
    it("an English-speaking rep is answered in English", async () => {
      await app.database.db.update(users).set({ locale: "en" }).where(eq(users.id, w.rep));
      try {
        const from = api.calls.length;
        await app.dm("UREP", "help");
        const reply = await nextPost("DREP", from);
        expect(textOf(reply)).toMatch(/visit/i);
        // Only the language switch word "中文" may be Chinese.
        expect(textOf(reply).replace("中文", "")).not.toMatch(CJK);
        const from2 = api.calls.length;
        await app.command("UREP", "/plan", "");
        const plan = await nextPost("DREP", from2);
        expect(textOf(plan)).not.toMatch(/计划|没有需要/);
      } finally {
        await app.database.db.update(users).set({ locale: "zh-CN" }).where(eq(users.id, w.rep));
      }
    });

    it("never shows a customer's phone or e-mail to the rep (customers, visit, stock)", async () => {
      await app.dm("UREP", "取消");
      await sleep(250);
      const from = api.calls.length;
      for (const text of ["客户 王", "客户 协和", "客户 康美"]) {
        const f = api.calls.length;
        await app.dm("UREP", text);
        await nextPost("DREP", f);
      }
      const f2 = api.calls.length;
      await app.dm("UREP", "拜访 协和 王主任 昨天 评级6 下周二复访");
      await nextPost("DREP", f2, (c) => buttonsOf(c).length > 0);
      await app.dm("UREP", "取消");
      const f3 = api.calls.length;
      await app.command("UREP", "/stock", "康美大药房 感冒灵 24盒");
      await nextPost("DREP", f3);
      await app.dm("UREP", "取消");
      await settle();
      const shown = api.calls
        .slice(from)
        .filter((c) => c.method.startsWith("chat."))
        .map(visibleOf)
        .join("\n");
      expect(shown).toContain("王建国");
      for (const secret of [
        "13912345678",
        "wang.jianguo@hospital.example.cn",
        "010-69156114",
        "info@pumch.example.cn",
        "13800001111",
        "kangmei@store.example.cn",
      ])
        expect(shown).not.toContain(secret);
    });
  });
});
