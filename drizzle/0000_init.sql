CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`name` text,
	`created_at` text NOT NULL,
	`last_used_at` text,
	`revoked_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_hash_uq` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `api_tokens_user_idx` ON `api_tokens` (`user_id`);--> statement-breakpoint
CREATE TABLE `bind_codes` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`expires_at` text NOT NULL,
	`used_at` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `adjustments` (
	`id` text PRIMARY KEY NOT NULL,
	`month` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text,
	`change` text NOT NULL,
	`reason` text NOT NULL,
	`by` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`customer_id` text NOT NULL,
	`rep_id` text,
	`severity` text NOT NULL,
	`level` text,
	`opened_at` text NOT NULL,
	`opened_on` text NOT NULL,
	`closed_at` text,
	`data` text DEFAULT '{}' NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rep_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_open_uq` ON `alerts` (`customer_id`,`type`) WHERE closed_at is null;--> statement-breakpoint
CREATE INDEX `alerts_rep_idx` ON `alerts` (`rep_id`,`opened_on`);--> statement-breakpoint
CREATE TABLE `approvals` (
	`id` text PRIMARY KEY NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` text NOT NULL,
	`subject_ref` text NOT NULL,
	`approver_id` text NOT NULL,
	`level` integer NOT NULL,
	`status` text NOT NULL,
	`decided_at` text,
	`decided_by` text,
	`decided_via` text,
	`reason` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`approver_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `approvals_subject_level_uq` ON `approvals` (`subject_type`,`subject_id`,`level`);--> statement-breakpoint
CREATE INDEX `approvals_approver_status_idx` ON `approvals` (`approver_id`,`status`);--> statement-breakpoint
CREATE INDEX `approvals_ref_idx` ON `approvals` (`subject_ref`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`at` text NOT NULL,
	`actor_id` text,
	`via` text,
	`action` text NOT NULL,
	`entity_type` text NOT NULL,
	`entity_id` text NOT NULL,
	`before` text,
	`after` text
);
--> statement-breakpoint
CREATE INDEX `audit_entity_idx` ON `audit_log` (`entity_type`,`entity_id`);--> statement-breakpoint
CREATE INDEX `audit_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `budgets` (
	`id` text PRIMARY KEY NOT NULL,
	`rep_id` text NOT NULL,
	`month` text NOT NULL,
	`category` text NOT NULL,
	`amount_cny` real NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`rep_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `budgets_rep_month_cat_uq` ON `budgets` (`rep_id`,`month`,`category`);--> statement-breakpoint
CREATE TABLE `care_skips` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`date` text NOT NULL,
	`by` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `holidays` (
	`date` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `chat_cards` (
	`id` text PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` text NOT NULL,
	`address` text NOT NULL,
	`message_ref` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `chat_cards_subject_idx` ON `chat_cards` (`subject_type`,`subject_id`);--> statement-breakpoint
CREATE TABLE `chat_events` (
	`platform` text NOT NULL,
	`event_id` text NOT NULL,
	`user_id` text,
	`response` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `chat_events_uq` ON `chat_events` (`platform`,`event_id`);--> statement-breakpoint
CREATE TABLE `chat_identities` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`platform` text NOT NULL,
	`external_id` text NOT NULL,
	`address` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `chat_identities_uq` ON `chat_identities` (`platform`,`external_id`);--> statement-breakpoint
CREATE INDEX `chat_identities_user_idx` ON `chat_identities` (`user_id`);--> statement-breakpoint
CREATE TABLE `chat_sessions` (
	`user_id` text PRIMARY KEY NOT NULL,
	`flow_id` text,
	`flow_version` text,
	`step` text,
	`state` text DEFAULT '{}' NOT NULL,
	`prompt` text,
	`history` text DEFAULT '[]' NOT NULL,
	`status` text DEFAULT 'idle' NOT NULL,
	`draft` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `co_visits` (
	`id` text PRIMARY KEY NOT NULL,
	`visit_id` text NOT NULL,
	`manager_id` text NOT NULL,
	`rep_id` text NOT NULL,
	`score` integer NOT NULL,
	`report` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`manager_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rep_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `co_visits_visit_idx` ON `co_visits` (`visit_id`);--> statement-breakpoint
CREATE TABLE `consent_events` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`channel` text NOT NULL,
	`state` text NOT NULL,
	`at` text NOT NULL,
	`by` text NOT NULL,
	`method` text NOT NULL,
	`evidence` text,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `consent_customer_idx` ON `consent_events` (`customer_id`,`channel`,`at`);--> statement-breakpoint
CREATE TABLE `coverage` (
	`customer_id` text NOT NULL,
	`product_id` text NOT NULL,
	`listed` integer NOT NULL,
	`reason` text,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	PRIMARY KEY(`customer_id`, `product_id`),
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `customers` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`parent_id` text,
	`owner_id` text NOT NULL,
	`city` text,
	`city_tier` integer,
	`area` text,
	`address` text,
	`phone` text,
	`email` text,
	`wecom_external_id` text,
	`birthday` text,
	`timezone` text,
	`preferences` text,
	`best_visit_slot` text,
	`stage` text DEFAULT 'to_identify' NOT NULL,
	`preferred_channel` text,
	`locale` text DEFAULT 'zh-CN' NOT NULL,
	`sms_consent` text DEFAULT 'none' NOT NULL,
	`email_consent` text DEFAULT 'none' NOT NULL,
	`beds` integer,
	`daily_outpatients` integer,
	`monthly_purchase_cny` real,
	`monthly_sales_cny` real,
	`our_monthly_sales_cny` real,
	`chain` text,
	`department` text,
	`title` text,
	`kol` integer DEFAULT false NOT NULL,
	`tier` text,
	`active` integer DEFAULT true NOT NULL,
	`erased_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`parent_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customers_code_uq` ON `customers` (`code`);--> statement-breakpoint
CREATE INDEX `customers_owner_idx` ON `customers` (`owner_id`,`kind`);--> statement-breakpoint
CREATE INDEX `customers_parent_idx` ON `customers` (`parent_id`);--> statement-breakpoint
CREATE INDEX `customers_kind_name_idx` ON `customers` (`kind`,`name`);--> statement-breakpoint
CREATE INDEX `customers_birthday_idx` ON `customers` (`birthday`) WHERE birthday is not null;--> statement-breakpoint
CREATE TABLE `delegations` (
	`id` text PRIMARY KEY NOT NULL,
	`from_user_id` text NOT NULL,
	`to_user_id` text NOT NULL,
	`until` text NOT NULL,
	`revoked_at` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`from_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`to_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `delegations_from_idx` ON `delegations` (`from_user_id`);--> statement-breakpoint
CREATE INDEX `delegations_to_idx` ON `delegations` (`to_user_id`);--> statement-breakpoint
CREATE TABLE `expenses` (
	`id` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`ref` text NOT NULL,
	`rep_id` text NOT NULL,
	`kind` text NOT NULL,
	`category` text NOT NULL,
	`amount_cny` real NOT NULL,
	`date` text NOT NULL,
	`description` text,
	`invoice_no` text,
	`attendees` text DEFAULT '[]' NOT NULL,
	`receipt_ids` text DEFAULT '[]' NOT NULL,
	`warnings` text DEFAULT '[]' NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`via` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`rep_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `expenses_seq_uq` ON `expenses` (`seq`);--> statement-breakpoint
CREATE UNIQUE INDEX `expenses_ref_uq` ON `expenses` (`ref`);--> statement-breakpoint
CREATE UNIQUE INDEX `expenses_invoice_uq` ON `expenses` (`invoice_no`) WHERE invoice_no is not null;--> statement-breakpoint
CREATE INDEX `expenses_rep_date_idx` ON `expenses` (`rep_id`,`date`);--> statement-breakpoint
CREATE TABLE `import_batches` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`source` text,
	`seller_id` text,
	`period_from` text,
	`as_of` text,
	`rows` integer DEFAULT 0 NOT NULL,
	`imported` integer DEFAULT 0 NOT NULL,
	`updated` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`by` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`seller_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `job_marks` (
	`job` text NOT NULL,
	`slot` text DEFAULT '' NOT NULL,
	`date` text NOT NULL,
	`recipient_id` text NOT NULL,
	`run_id` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `job_marks_uq` ON `job_marks` (`job`,`slot`,`date`,`recipient_id`);--> statement-breakpoint
CREATE TABLE `job_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`job` text NOT NULL,
	`slot` text DEFAULT '' NOT NULL,
	`date` text NOT NULL,
	`trigger` text NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text,
	`counts` text DEFAULT '{}' NOT NULL,
	`error` text,
	`lease_until` text
);
--> statement-breakpoint
CREATE INDEX `job_runs_job_date_idx` ON `job_runs` (`job`,`slot`,`date`);--> statement-breakpoint
CREATE TABLE `month_closes` (
	`month` text PRIMARY KEY NOT NULL,
	`closed_at` text NOT NULL,
	`by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`channel` text NOT NULL,
	`recipient_type` text NOT NULL,
	`recipient_id` text NOT NULL,
	`address` text,
	`template` text NOT NULL,
	`locale` text NOT NULL,
	`data` text DEFAULT '{}' NOT NULL,
	`dedupe_key` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`not_before` text NOT NULL,
	`expires_at` text,
	`lease_until` text,
	`created_at` text NOT NULL,
	`sent_at` text,
	`error` text,
	`suppressed_reason` text,
	`provider_ref` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_dedupe_uq` ON `outbox` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `outbox_due_idx` ON `outbox` (`status`,`not_before`);--> statement-breakpoint
CREATE INDEX `outbox_recipient_idx` ON `outbox` (`recipient_type`,`recipient_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `ownership_changes` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`from_user_id` text NOT NULL,
	`to_user_id` text NOT NULL,
	`mode` text NOT NULL,
	`start_on` text NOT NULL,
	`until` text,
	`ended_at` text,
	`by` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`from_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`to_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ownership_customer_idx` ON `ownership_changes` (`customer_id`);--> statement-breakpoint
CREATE INDEX `ownership_active_proxy_idx` ON `ownership_changes` (`mode`,`ended_at`);--> statement-breakpoint
CREATE TABLE `products` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`name_en` text,
	`unit` text DEFAULT '盒' NOT NULL,
	`rx` integer DEFAULT false NOT NULL,
	`aliases` text DEFAULT '[]' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `products_code_uq` ON `products` (`code`);--> statement-breakpoint
CREATE TABLE `purchases` (
	`id` text PRIMARY KEY NOT NULL,
	`seller_id` text,
	`buyer_id` text NOT NULL,
	`product_id` text NOT NULL,
	`date` text NOT NULL,
	`quantity` real NOT NULL,
	`amount_cny` real DEFAULT 0 NOT NULL,
	`source` text NOT NULL,
	`document_no` text,
	`natural_key` text NOT NULL,
	`import_batch_id` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`seller_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`buyer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`import_batch_id`) REFERENCES `import_batches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `purchases_natural_uq` ON `purchases` (`natural_key`);--> statement-breakpoint
CREATE INDEX `purchases_buyer_date_idx` ON `purchases` (`buyer_id`,`date`);--> statement-breakpoint
CREATE INDEX `purchases_seller_date_idx` ON `purchases` (`seller_id`,`date`);--> statement-breakpoint
CREATE INDEX `purchases_date_idx` ON `purchases` (`date`);--> statement-breakpoint
CREATE TABLE `receipts` (
	`id` text PRIMARY KEY NOT NULL,
	`sha256` text NOT NULL,
	`mime` text NOT NULL,
	`size` integer NOT NULL,
	`path` text NOT NULL,
	`uploaded_by` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `receipts_sha_uq` ON `receipts` (`sha256`);--> statement-breakpoint
CREATE TABLE `segments` (
	`customer_id` text NOT NULL,
	`product_id` text NOT NULL,
	`usage` integer NOT NULL,
	`potential` integer NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	PRIMARY KEY(`customer_id`, `product_id`),
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `sequences` (
	`name` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `stock_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`report_id` text NOT NULL,
	`product_id` text NOT NULL,
	`quantity` real NOT NULL,
	`batch` text,
	`expiry` text,
	FOREIGN KEY (`report_id`) REFERENCES `stock_reports`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `stock_lines_report_idx` ON `stock_lines` (`report_id`);--> statement-breakpoint
CREATE TABLE `stock_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`rep_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`date` text NOT NULL,
	`findings` text DEFAULT '[]' NOT NULL,
	`photo_receipt_id` text,
	`adjusts_id` text,
	`via` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`rep_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `stock_customer_date_idx` ON `stock_reports` (`customer_id`,`date`);--> statement-breakpoint
CREATE INDEX `stock_rep_idx` ON `stock_reports` (`rep_id`);--> statement-breakpoint
CREATE TABLE `territories` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`level` text NOT NULL,
	`parent_id` text,
	`manager_id` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`parent_id`) REFERENCES `territories`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`manager_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`manager_id` text,
	`email` text,
	`phone` text,
	`locale` text DEFAULT 'zh-CN' NOT NULL,
	`timezone` text,
	`territory` text,
	`slack_user_id` text,
	`wecom_user_id` text,
	`active` integer DEFAULT true NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`manager_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `users_manager_idx` ON `users` (`manager_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_slack_uq` ON `users` (`slack_user_id`) WHERE slack_user_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `users_wecom_uq` ON `users` (`wecom_user_id`) WHERE wecom_user_id is not null;--> statement-breakpoint
CREATE TABLE `visit_plans` (
	`id` text PRIMARY KEY NOT NULL,
	`rep_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`date` text NOT NULL,
	`slot` text NOT NULL,
	`purpose` text,
	`product_ids` text DEFAULT '[]' NOT NULL,
	`status` text DEFAULT 'normal' NOT NULL,
	`co_visit_manager_id` text,
	`co_visit_requested_by` text,
	`visit_id` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`rep_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`co_visit_manager_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `plans_rep_date_idx` ON `visit_plans` (`rep_id`,`date`);--> statement-breakpoint
CREATE INDEX `plans_customer_idx` ON `visit_plans` (`customer_id`);--> statement-breakpoint
CREATE TABLE `visit_products` (
	`visit_id` text NOT NULL,
	`product_id` text NOT NULL,
	PRIMARY KEY(`visit_id`, `product_id`),
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `visits` (
	`id` text PRIMARY KEY NOT NULL,
	`rep_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`at` text NOT NULL,
	`date` text NOT NULL,
	`time_known` integer NOT NULL,
	`method` text DEFAULT 'in_person' NOT NULL,
	`purposes` text DEFAULT '[]' NOT NULL,
	`key_message` text,
	`outcome` text,
	`rating` integer NOT NULL,
	`notes` text,
	`samples` text,
	`competitor_info` text,
	`next_step` text,
	`follow_up_on` text,
	`follow_up_done_at` text,
	`attendees` integer,
	`status` text DEFAULT 'logged' NOT NULL,
	`plan_id` text,
	`via` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`rep_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`plan_id`) REFERENCES `visit_plans`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `visits_rep_date_idx` ON `visits` (`rep_id`,`date`);--> statement-breakpoint
CREATE INDEX `visits_customer_date_idx` ON `visits` (`customer_id`,`date`);--> statement-breakpoint
CREATE INDEX `visits_follow_up_idx` ON `visits` (`follow_up_on`);