-- The rows that serialise the checks of limits that protect money (api.md
-- "Limits checked where the money moves"). A transaction that checks or
-- changes what counts against a limit first upserts the limit's row here
-- and holds it FOR UPDATE until it commits, so competitors take turns and
-- each one counts, under READ COMMITTED, everything the previous committed:
--
--   program_enterprise  owner_id = programme, key_id = enterprise: the
--                       programme's cap per enterprise (submit, approve,
--                       disburse, and the moves that release it)
--   product_month       owner_id = product, key_id = YYYYMM (UTC month, as
--                       matching counts it): the product's monthly capacity
--
-- Order, always: the application row, the product (shared), product_month,
-- then program_enterprise. The rows hold nothing but the lock; one per pair
-- ever used.
CREATE TABLE limit_locks (
	kind ENUM('program_enterprise','product_month') NOT NULL,
	owner_id BIGINT NOT NULL,
	key_id BIGINT NOT NULL,
	PRIMARY KEY (kind, owner_id, key_id)
) ENGINE=InnoDB;
