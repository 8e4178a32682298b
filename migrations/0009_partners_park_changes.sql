-- Who belongs where: the institutions taking part in each programme, and an
-- enterprise's requests to move into a park.
--
-- program_partners: only the bureau adds or removes a partner, and a
-- product may carry a program_id only while its institution is a partner of
-- that programme (checked, under this row's lock, in the transaction that
-- writes the product). Removing a partner takes its products out of the
-- programme in the same transaction. added_by is NULL for the rows this
-- migration derives from the products of an existing database.
CREATE TABLE program_partners (
	program_id BIGINT NOT NULL,
	institution_id BIGINT NOT NULL,
	added_by BIGINT NULL,
	added_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (program_id, institution_id),
	KEY ix_program_partners_institution (institution_id),
	CONSTRAINT fk_program_partners_program FOREIGN KEY (program_id) REFERENCES programs (id),
	CONSTRAINT fk_program_partners_institution FOREIGN KEY (institution_id) REFERENCES institutions (id),
	CONSTRAINT fk_program_partners_user FOREIGN KEY (added_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Today's partners: the banks whose products are in each programme.
INSERT INTO program_partners (program_id, institution_id)
SELECT DISTINCT p.program_id, p.institution_id
FROM products p JOIN institutions i ON i.id = p.institution_id AND i.kind = 'bank'
WHERE p.program_id IS NOT NULL;

-- An enterprise's request to change its park (park_id NULL never: leaving a
-- park needs nobody's consent). The enterprise keeps from_park_id until the
-- operator of park_id confirms; the bureau setting the park directly
-- cancels a pending request. pending_enterprise_id makes a second pending
-- request of one enterprise impossible (a new request cancels the old one).
CREATE TABLE park_change_requests (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	enterprise_id BIGINT NOT NULL,
	from_park_id INT NULL,
	park_id INT NOT NULL,
	status ENUM('pending','confirmed','rejected','cancelled') NOT NULL DEFAULT 'pending',
	requested_by BIGINT NOT NULL,
	requested_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	decided_by BIGINT NULL,
	decided_at DATETIME(6) NULL,
	reason VARCHAR(500) NULL,
	pending_enterprise_id BIGINT AS (IF(status = 'pending', enterprise_id, NULL)) PERSISTENT,
	UNIQUE KEY uq_park_change_requests_pending (pending_enterprise_id),
	KEY ix_park_change_requests_enterprise (enterprise_id, id),
	KEY ix_park_change_requests_park (park_id, status, id),
	CONSTRAINT fk_park_change_requests_enterprise FOREIGN KEY (enterprise_id) REFERENCES enterprises (id),
	CONSTRAINT fk_park_change_requests_from FOREIGN KEY (from_park_id) REFERENCES parks (id),
	CONSTRAINT fk_park_change_requests_park FOREIGN KEY (park_id) REFERENCES parks (id),
	CONSTRAINT fk_park_change_requests_requester FOREIGN KEY (requested_by) REFERENCES users (id),
	CONSTRAINT fk_park_change_requests_decider FOREIGN KEY (decided_by) REFERENCES users (id),
	CONSTRAINT ck_park_change_requests_decided CHECK ((status = 'pending') = (decided_at IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
