import type { IsoDate } from "../domain/dates";
import type { OutboxMessage } from "../notify/types";
import type { Services } from "../services";

export const jobNames = [
  "daily-plan",
  "follow-up-reminders",
  "churn-alerts",
  "care-preview",
  "care-greetings",
  "manager-digest",
] as const;
export type JobName = (typeof jobNames)[number];
export type Slot = "" | "am" | "pm";

export interface JobContext {
  services: Services;
  date: IsoDate;
  slot: Slot;
  now: Date;
}

/** One recipient's share of a run: done (marked) together with its messages, or not at all. */
export interface JobItem {
  recipientId: string;
  messages: OutboxMessage[];
}

/**
 * A job as data (ARCHITECTURE.md): when cron wakes it, whether it acts on days off, and
 * the items of a run. Items are computed per recipient so a run interrupted midway
 * resumes where it stopped, and each recipient is done once per (job, slot, date).
 */
export interface JobDefinition {
  name: JobName;
  /** Local times (company zone) per slot; one slot "" for jobs that run once a day. */
  at: Partial<Record<Slot, string>>;
  workingDaysOnly: boolean;
  /** ISO weekday (1 = Monday) for weekly jobs. */
  weekday?: number;
  /** Work done before the items (e.g. opening churn episodes for the date). */
  prepare?(ctx: JobContext): Promise<Record<string, number>>;
  recipients(ctx: JobContext): Promise<string[]>;
  /**
   * Called with each page of recipients not yet done, before their items: lets a job read
   * what the page needs in one query per table instead of one per recipient.
   */
  preparePage?(ctx: JobContext, recipientIds: string[]): Promise<void>;
  itemFor(ctx: JobContext, recipientId: string): Promise<JobItem | null>;
}

export const defineJob = (job: JobDefinition) => job;
