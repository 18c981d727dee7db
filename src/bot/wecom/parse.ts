import { type Message, types } from "wechaty";
import type { Attachment } from "../platform";

/** A contact's message as the adapter needs it, whatever puppet delivered it. */
export interface WecomIncoming {
  /** Wechaty's message id: the engine answers a redelivery once. */
  id: string;
  contactId: string;
  text: string;
  kind: "text" | "image" | "file" | "other";
  /** The image or file, fetched only when needed (it may be large). */
  file?: () => Promise<Attachment>;
}

const kindOf = (type: types.Message): WecomIncoming["kind"] => {
  if (type === types.Message.Text) return "text";
  if (type === types.Message.Image) return "image";
  if (type === types.Message.Attachment) return "file";
  return "other";
};

/**
 * A Wechaty message, or null for what the bot must not answer: its own messages, and room
 * messages that do not mention it (a mention is answered like a direct message, without
 * the mention itself in the text).
 */
export const incomingOf = async (m: Message): Promise<WecomIncoming | null> => {
  if (m.self()) return null;
  const room = m.room();
  if (room && !(await m.mentionSelf())) return null;
  const kind = kindOf(m.type());
  const text = kind === "text" ? (room ? await m.mentionText() : m.text()) : "";
  const file =
    kind === "image" || kind === "file"
      ? async (): Promise<Attachment> => {
          const box = await m.toFileBox();
          const bytes = await box.toBuffer();
          return { kind: kind === "image" ? "image" : "file", bytes, mime: box.mediaType, name: box.name };
        }
      : undefined;
  return { id: m.id, contactId: m.talker().id, text, kind, ...(file ? { file } : {}) };
};
