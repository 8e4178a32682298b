#!/usr/bin/env bash
# matching_snapshot.sh — the matching snapshot at scale: seeds N enterprises
# (default 1,000,000) with scores and whitelist entries by SQL, starts a
# server on that database and reads how long the snapshot took to build,
# then times one product's top 50 candidates through the server (engine over
# the snapshot) against the naive SQL query (WHERE criteria, ORDER BY the
# same fit) for the same ranking. Env: XYD_VAR (the bench's database),
# XYD_DB, XYD_ADMIN_PASSWORD; XYD_BENCH_ENTERPRISES.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n=${XYD_BENCH_ENTERPRISES:-1000000}
db() { scripts/db.sh sql -N -e "$1"; }
ms_now() { date +%s%3N; }

towns=$(db "SELECT GROUP_CONCAT(QUOTE(code) ORDER BY sort_order) FROM towns")
ntowns=$(db "SELECT COUNT(*) FROM towns")
t0=$(ms_now)
db "INSERT INTO institutions (name, kind) VALUES ('基准银行$(date +%s%N)', 'bank');
SET @inst = LAST_INSERT_ID(); SET @admin = (SELECT MIN(id) FROM users);
SET @base = (SELECT COALESCE(MAX(id), 0) FROM enterprises);
INSERT INTO enterprises (uscc, name, legal_rep_name, legal_rep_id_no, phone, industry, industry_section, town,
	park_id, registered_capital_fen, founded_on, employees, annual_revenue_fen, size_class, tags)
SELECT CONCAT('BM', LPAD(seq + @base, 16, '0')), CONCAT('基准企业', seq), '张三', LPAD(seq, 18, '0'), '13800000000',
	ELT(1 + seq % 4, 'C26', 'C27', 'F51', 'I65'), ELT(1 + seq % 4, 'C', 'C', 'F', 'I'),
	ELT(1 + seq % $ntowns, $towns), IF(seq % 3 = 0, 1, NULL), 100000000, DATE_SUB('2024-01-01', INTERVAL seq % 7000 DAY),
	10 + seq % 200, (seq % 1000) * 1000000, 'small', IF(seq % 5 = 0, 'hi_tech', '')
FROM seq_1_to_$n;
INSERT INTO credit_scores (enterprise_id, model_version, score, grade, dishonest_debtor, broken_commitments, factors_json, computed_at)
SELECT id, 'v1', s, IF(s >= 800, 'A', IF(s >= 650, 'B', IF(s >= 500, 'C', 'D'))), 0, 0, '[]', UTC_TIMESTAMP(6)
FROM (SELECT id, 300 + (id * 7919) % 700 AS s FROM enterprises WHERE id > @base) x;
INSERT INTO whitelist_entries (enterprise_id, status, nominated_by_role, nominated_by, reason, valid_until)
SELECT id, 'approved', 'bureau', @admin, '基准', DATE_ADD(UTC_DATE(), INTERVAL 300 DAY)
FROM enterprises WHERE id > @base AND id % 5 IN (1, 2);
INSERT INTO products (institution_id, name, kind, amount_min_fen, amount_max_fen, rate_min_bps, rate_max_bps,
	term_min_months, term_max_months, collateral, min_grade, industries, monthly_capacity, status, created_by)
VALUES (@inst, '基准贷', 'credit', 1000000, 500000000, 380, 600, 6, 36, 'none', 'C', 'C', 1000, 'active', @admin);"
t1=$(ms_now)
product=$(db "SELECT MAX(id) FROM products")
echo "matching at scale: seeded $n enterprises (scores, 40% whitelisted) in $(( (t1 - t0) / 1000 )) s"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$XYD_VAR/matching-bench-server.log
XYD_LISTEN=127.0.0.1:$port XYD_DEMO=0 XYD_LOG_LEVEL=info build/release/xinyidai >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1200); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.1; done
echo "  snapshot build at start: $(grep -o 'matching: .* ready in [0-9]* ms' "$log")"
rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
echo "  server resident memory after the build: $((rss / 1024)) MiB"

# A bank user of the product's institution.
inst=$(db "SELECT institution_id FROM products WHERE id = $product")
tok() { curl -sf -XPOST "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' -d "$1" |
	python3 -c 'import sys, json; print(json.load(sys.stdin)["access_token"])'; }
admin=$(tok "{\"username\":\"admin\",\"password\":\"$XYD_ADMIN_PASSWORD\"}")
u="bmbank$(date +%s)"
curl -sf -XPOST "http://127.0.0.1:$port/api/v1/users" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
	-d "{\"username\":\"$u\",\"password\":\"$XYD_ADMIN_PASSWORD\",\"role\":\"bank\",\"org_id\":$inst}" >/dev/null
bank=$(tok "{\"username\":\"$u\",\"password\":\"$XYD_ADMIN_PASSWORD\"}")
declare -a srv sq
for i in 1 2 3 4 5; do
	srv+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $bank" \
		"http://127.0.0.1:$port/api/v1/products/$product/candidates?limit=50")")
	a=$(ms_now)
	# The same ranking the naive way: the product's criteria in WHERE, the fit's
	# per-enterprise part (score margin, capped at 300) in ORDER BY.
	db "SELECT e.id, cs.score FROM enterprises e JOIN credit_scores cs ON cs.enterprise_id = e.id
		WHERE cs.grade IN ('A','B','C') AND e.industry LIKE 'C%' AND EXISTS (SELECT 1 FROM whitelist_entries w
		WHERE w.enterprise_id = e.id AND w.status = 'approved' AND w.valid_until >= UTC_DATE())
		ORDER BY LEAST(cs.score - 500, 300) DESC, e.id LIMIT 50" >/dev/null
	b=$(ms_now)
	sq+=("$(awk -v x=$((b - a)) 'BEGIN {printf "%.3f", x / 1000}')")
done
echo "  top 50 candidates of one product over $n enterprises (s, 5 runs):"
echo "    server (engine over the snapshot, HTTP included): ${srv[*]}"
echo "    SQL WHERE/ORDER BY (mysql client included):      ${sq[*]}"
kill $pid
wait $pid 2>/dev/null || true
trap - EXIT
