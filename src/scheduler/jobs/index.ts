import type { JobDefinition } from "../job";
import { dailyPlanJob } from "./daily-plan";
import { followUpRemindersJob } from "./follow-up-reminders";

/** Every scheduled job (CONTRACT.md's names). */
export const allJobs: JobDefinition[] = [dailyPlanJob, followUpRemindersJob];
