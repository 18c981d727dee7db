/** The Slack ids the bench gives rep r of the data set, and its DM channel. */
export const slackUserOf = (r: number) => `UB${String(r).padStart(5, "0")}`;
export const dmOf = (r: number) => `DB${String(r).padStart(5, "0")}`;
