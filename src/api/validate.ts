import type { Context } from "hono";
import { z } from "zod";
import { fromZodError } from "./errors";

/** Reads and validates a JSON body; malformed JSON and schema errors become 400s naming the field. */
export const jsonBody = async <S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> => {
  let raw: unknown;
  try {
    const text = await c.req.text();
    raw = text.trim() === "" ? {} : JSON.parse(text);
  } catch {
    throw fromZodError(
      new z.ZodError([{ code: "custom", path: [], message: "malformed JSON", input: undefined }]),
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw fromZodError(parsed.error);
  return parsed.data;
};

export const queryOf = <S extends z.ZodType>(c: Context, schema: S): z.output<S> => {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw fromZodError(parsed.error, "query");
  return parsed.data;
};
