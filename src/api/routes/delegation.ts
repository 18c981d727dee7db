import { Hono } from "hono";
import { delegationInput } from "../../schemas/users";
import type { ApprovalService } from "../../services/approvals";
import { type AppEnv, apiActor } from "../auth";
import type { ApiDeps } from "../deps";
import { fromDomainError } from "../errors";
import { jsonBody } from "../validate";

/** `POST /api/users/{id}/delegation` (mounted at /users): the user themself or an admin. */
export const delegationRoutes = (_deps: ApiDeps, svc: { approvals: ApprovalService }) => {
  const app = new Hono<AppEnv>();

  app.post("/:id/delegation", async (c) => {
    const input = await jsonBody(c, delegationInput);
    const result = await svc.approvals.setDelegation(
      c.req.param("id"),
      input.toUserId,
      input.until,
      apiActor(c.get("actor")),
    );
    // Validation failures name the field in `details` as schema errors do: [{field, message}].
    if (!result.ok) throw fromDomainError(result.error);
    const d = result.value;
    return c.json({ id: d.id, fromUserId: d.fromUserId, toUserId: d.toUserId, until: d.until }, 201);
  });

  return app;
};
