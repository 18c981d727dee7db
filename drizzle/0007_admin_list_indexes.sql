CREATE INDEX `customers_owner_id_idx` ON `customers` (`owner_id`,`id`);--> statement-breakpoint
CREATE INDEX `visits_rep_id_idx` ON `visits` (`rep_id`,`id`);