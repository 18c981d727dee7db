import type { JobDefinition } from "../job";
import { careGreetingsJob, carePreviewJob } from "./care";
import { churnAlertsJob } from "./churn-alerts";
import { dailyPlanJob } from "./daily-plan";
import { followUpRemindersJob } from "./follow-up-reminders";
import { managerDigestJob } from "./manager-digest";

/** Every scheduled job (CONTRACT.md's names). */
export const allJobs: JobDefinition[] = [
  dailyPlanJob,
  followUpRemindersJob,
  churnAlertsJob,
  carePreviewJob,
  careGreetingsJob,
  managerDigestJob,
];
