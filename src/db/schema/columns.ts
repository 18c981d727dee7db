import { text } from "drizzle-orm/sqlite-core";

/** Shared columns: opaque text ids and UTC ISO instants (the API renders them in APP_TIMEZONE). */
export const id = () => text("id").primaryKey();
export const createdAt = () => text("created_at").notNull();
export const updatedAt = () => text("updated_at").notNull();
export const timestamps = () => ({ createdAt: createdAt(), updatedAt: updatedAt() });
