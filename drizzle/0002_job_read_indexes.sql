DROP INDEX `purchases_buyer_date_idx`;--> statement-breakpoint
CREATE INDEX `purchases_buyer_lines_idx` ON `purchases` (`buyer_id`,`date`,`quantity`,`amount_cny`,`seller_id`);--> statement-breakpoint
CREATE INDEX `visits_logged_customer_date_idx` ON `visits` (`customer_id`,`date`,`status`) WHERE status = 'logged';--> statement-breakpoint
CREATE INDEX `visits_open_follow_up_idx` ON `visits` (`customer_id`,`follow_up_on`,`follow_up_done_at`) WHERE follow_up_on is not null and follow_up_done_at is null;