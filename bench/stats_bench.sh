#!/usr/bin/env bash
# stats_bench.sh — the statistics at scale: seeds 100,000 enterprises,
# 1,000,000 applications with their timelines and 300,000 loans by SQL
# (INSERT … SELECT over MariaDB's sequence tables, with the rollup triggers
# skipped and the rollups rebuilt once by stats_rebuild()), starts a server
# on that database, and times through HTTP the overview and every
# breakdown for the bureau, a park and a bank (median of N runs, curl's
# time_total) against the targets (overview < 200 ms, breakdown < 500 ms).
# In the same run it times the plain-SQL baseline (the same figures straight
# from applications, application_events and loans, mariadb client included)
# and checks that both give the same totals.
# Env: XYD_VAR (the bench's database), XYD_ADMIN_PASSWORD; XYD_BENCH_APPS
# (default 1000000; loans are 30% of them), XYD_BENCH_STATS_RUNS (default 5).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
napps=${XYD_BENCH_APPS:-1000000}
nent=$((napps / 10))
runs=${XYD_BENCH_STATS_RUNS:-5}
db() { scripts/db.sh sql -N -e "$1"; }
ms_now() { date +%s%3N; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

towns=$(db "SELECT GROUP_CONCAT(QUOTE(code) ORDER BY sort_order) FROM towns")
ntowns=$(db "SELECT COUNT(*) FROM towns")
tag=$(date +%s%N)
t0=$(ms_now)
# Statuses by seq % 20: 0-1 and 3 expired unsubmitted, 2 withdrawn, 4-5 expired
# unanswered at the bank (all are older than the 30 days after which the
# server expires them), 6 and 18-19 accepted, 7-9 rejected, 10-11 approved,
# 12-17 disbursed (30%).
# Created over 2023-2025; answers 0-149 hours after submission.
db "SET @xyd_stats_bulk = 1;
SET @admin = (SELECT MIN(id) FROM users);
INSERT INTO institutions (name, kind) SELECT CONCAT('统计基准银行', seq, '-$tag'), 'bank' FROM seq_1_to_8;
SET @inst = LAST_INSERT_ID();
INSERT INTO funds (name, created_by) VALUES ('统计基准基金$tag', @admin);
SET @fund = LAST_INSERT_ID();
INSERT INTO programs (name, park_id, fund_id, fund_share_bps, bank_share_bps, guarantor_share_bps, created_by)
SELECT CONCAT('统计基准项目', seq, '-$tag'), seq, @fund, 4000, 4000, 2000, @admin FROM seq_1_to_2;
SET @prog = LAST_INSERT_ID();
INSERT INTO products (institution_id, program_id, name, kind, amount_min_fen, amount_max_fen, rate_min_bps,
	rate_max_bps, term_min_months, term_max_months, collateral, monthly_capacity, status, created_by)
SELECT @inst + seq % 8, IF(seq % 3 = 0, @prog + seq % 2, NULL), CONCAT('统计基准贷', seq, '-$tag'),
	ELT(1 + seq % 3, 'credit', 'guarantee', 'credit'), 1000000, 500000000, 350, 600, 6, 36, 'none', 1000,
	'active', @admin FROM seq_0_to_47;
SET @prod = LAST_INSERT_ID();
SET @ent = (SELECT COALESCE(MAX(id), 0) FROM enterprises);
INSERT INTO enterprises (uscc, name, legal_rep_name, legal_rep_id_no, phone, industry, industry_section, town,
	park_id, registered_capital_fen, founded_on, employees, annual_revenue_fen, size_class)
SELECT CONCAT('ST', LPAD(seq + @ent, 16, '0')), CONCAT('统计基准企业', seq + @ent), '张三', LPAD(seq, 18, '0'),
	'13800000000', ELT(1 + seq % 4, 'C26', 'C27', 'F51', 'I65'), ELT(1 + seq % 4, 'C', 'C', 'F', 'I'),
	ELT(1 + seq % $ntowns, $towns), IF(seq % 5 = 0, NULL, 1 + seq % 4), 100000000, '2015-01-01',
	10 + seq % 200, 1000000, ELT(1 + seq % 4, 'micro', 'small', 'medium', 'large')
FROM seq_1_to_$nent;
SET @app = (SELECT COALESCE(MAX(id), 0) FROM applications);
INSERT INTO applications (id, enterprise_id, product_id, institution_id, status, amount_fen, term_months, purpose,
	collateral, first_bank_loan, pending_since, response_due_at, approved_amount_fen, approved_rate_bps,
	approved_term_months, created_by, created_at, updated_at)
SELECT @app + x.seq, @ent + 1 + x.seq % $nent, IF(x.s < 4, NULL, p.id), IF(x.s < 4, NULL, p.institution_id),
	ELT(x.s + 1, 'expired', 'expired', 'withdrawn', 'expired', 'expired', 'expired', 'accepted',
		'rejected', 'rejected', 'rejected', 'approved', 'approved', 'disbursed', 'disbursed', 'disbursed',
		'disbursed', 'disbursed', 'disbursed', 'accepted', 'accepted'),
	x.amount, 12, '基准', 'none', x.seq % 7 = 0, IF(x.s < 4, NULL, x.t + INTERVAL 1 HOUR),
	IF(x.s < 4, NULL, x.t + INTERVAL 73 HOUR), IF(x.s BETWEEN 10 AND 17, x.amount, NULL),
	IF(x.s BETWEEN 10 AND 17, 350 + x.seq % 251, NULL), IF(x.s BETWEEN 10 AND 17, 12, NULL), @admin, x.t, x.t
FROM (SELECT seq, seq % 20 AS s, 10000000 + (seq * 7919) % 400000000 AS amount,
	TIMESTAMP('2022-12-31 16:00:00') + INTERVAL (seq * 104729) % (1096 * 86400) SECOND AS t
	FROM seq_1_to_$napps) x
JOIN products p ON p.id = @prod + x.seq % 48;
INSERT INTO application_events (application_id, status, at, by_role)
SELECT id, 'submitted', created_at, 'sme' FROM applications WHERE id > @app;
INSERT INTO application_events (application_id, status, at, by_role)
SELECT id, 'pending_bank', pending_since, 'sme' FROM applications WHERE id > @app AND product_id IS NOT NULL;
INSERT INTO application_events (application_id, status, at, by_role)
SELECT id, IF(status = 'rejected', 'rejected', 'accepted'), pending_since + INTERVAL (id * 31) % 150 HOUR, 'bank'
FROM applications WHERE id > @app AND status IN ('accepted', 'rejected', 'approved', 'disbursed');
INSERT INTO application_events (application_id, status, at, by_role)
SELECT id, 'approved', pending_since + INTERVAL (id * 31) % 150 + 2 HOUR, 'bank'
FROM applications WHERE id > @app AND status IN ('approved', 'disbursed');
INSERT INTO application_events (application_id, status, at, by_role)
SELECT id, 'disbursed', pending_since + INTERVAL 10 DAY, 'bank'
FROM applications WHERE id > @app AND status = 'disbursed';
INSERT INTO loans (application_id, enterprise_id, institution_id, product_id, program_id, principal_fen,
	outstanding_fen, rate_bps, term_months, disbursed_on, maturity_on, status, fund_bps, bank_bps, guarantor_bps,
	defaulted_on)
SELECT a.id, a.enterprise_id, a.institution_id, a.product_id, p.program_id, a.approved_amount_fen,
	a.approved_amount_fen - a.approved_amount_fen * (a.id % 10) DIV 10, a.approved_rate_bps, 12,
	DATE(a.pending_since + INTERVAL 10 DAY + INTERVAL 8 HOUR),
	DATE(a.pending_since + INTERVAL 10 DAY + INTERVAL 8 HOUR) + INTERVAL 12 MONTH,
	ELT(1 + a.id % 5, 'performing', 'performing', 'performing', 'overdue', 'repaid'),
	COALESCE(g.fund_share_bps, 0), COALESCE(g.bank_share_bps, 10000), COALESCE(g.guarantor_share_bps, 0), NULL
FROM applications a JOIN products p ON p.id = a.product_id LEFT JOIN programs g ON g.id = p.program_id
WHERE a.id > @app AND a.status = 'disbursed';
UPDATE loans SET status = 'defaulted', defaulted_on = disbursed_on + INTERVAL 120 DAY
WHERE application_id > @app AND id % 40 = 0;
SET @xyd_stats_bulk = NULL;"
t1=$(ms_now)
loans=$(db "SELECT COUNT(*) FROM loans")
db "CALL stats_rebuild()"
t2=$(ms_now)
echo "statistics at scale: seeded $napps applications, $loans loans, $nent enterprises in $(( (t1 - t0) / 1000 )) s;" \
	"stats_rebuild() of the rollups in $(( (t2 - t1) / 1000 )) s ($(db "SELECT COUNT(*) FROM stats_app_day") + $(db \
	"SELECT COUNT(*) FROM stats_loan_day") + $(db "SELECT COUNT(*) FROM stats_response_day") rows)"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$XYD_VAR/stats-bench-server.log
XYD_LISTEN=127.0.0.1:$port XYD_DEMO=0 XYD_LOG_LEVEL=warn build/release/xinyidai >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1200); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.1; done
tok() { curl -sf -XPOST "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' -d "$1" |
	python3 -c 'import sys, json; print(json.load(sys.stdin)["access_token"])'; }
admin=$(tok "{\"username\":\"admin\",\"password\":\"$XYD_ADMIN_PASSWORD\"}")
user() {	# role org → a token of a new user
	local u="bmstats$1$(date +%s%N)"
	curl -sf -XPOST "http://127.0.0.1:$port/api/v1/users" -H "Authorization: Bearer $admin" \
		-H 'Content-Type: application/json' \
		-d "{\"username\":\"$u\",\"password\":\"$XYD_ADMIN_PASSWORD\",\"role\":\"$1\",\"org_id\":$2}" >/dev/null
	tok "{\"username\":\"$u\",\"password\":\"$XYD_ADMIN_PASSWORD\"}"
}
inst=$(db "SELECT institution_id FROM products ORDER BY id DESC LIMIT 1")
declare -A token=([bureau]=$(user bureau null) [park]=$(user park 1) [bank]=$(user bank "$inst"))
window='from=2023-01-01&to=2025-12-31'
# median ms of $runs GETs of path with role's token
time_get() {
	local t=() i
	for ((i = 0; i < runs; i++)); do
		t+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer ${token[$1]}" \
			"http://127.0.0.1:$port$2" | awk '{printf "%d", $1 * 1000}')")
	done
	median "${t[@]}"
}
worst_over=0 worst_by=0
echo "  through HTTP, pre-aggregated, window 2023-01-01..2025-12-31, median of $runs (ms; targets 200 / 500):"
for role in bureau park bank; do
	o=$(time_get "$role" "/api/v1/stats/overview?$window")
	((o > worst_over)) && worst_over=$o
	line=""
	for by in month institution product program town park industry size_class; do
		b=$(time_get "$role" "/api/v1/stats/breakdown?by=$by&$window")
		((b > worst_by)) && worst_by=$b
		line+=" $by $b"
	done
	printf '    %-6s overview %s; breakdown:%s\n' "$role" "$o" "$line"
done
# A window with ragged ends reads their days from the daily rows.
ragged='from=2023-02-10&to=2025-07-20'
o=$(time_get bureau "/api/v1/stats/overview?$ragged")
p=$(time_get bureau "/api/v1/stats/breakdown?by=product&$ragged")
t=$(time_get bureau "/api/v1/stats/breakdown?by=town&$ragged")
((o > worst_over)) && worst_over=$o
((p > worst_by)) && worst_by=$p
((t > worst_by)) && worst_by=$t
echo "    bureau, window 2023-02-10..2025-07-20: overview $o; breakdown: product $p town $t"
echo "    slowest overview ${worst_over} ms ($( ((worst_over < 200)) && echo met || echo MISSED)), slowest breakdown" \
	"${worst_by} ms ($( ((worst_by < 500)) && echo met || echo MISSED))"

# The plain-SQL baseline for the bureau: the same figures from the base tables.
w="'2023-01-01' - INTERVAL 8 HOUR AND a.created_at < '2025-12-31' + INTERVAL 16 HOUR"
plain_overview="SELECT COUNT(*), SUM(a.product_id IS NOT NULL), SUM(a.status IN ('approved','disbursed')),
	SUM(a.status = 'rejected') FROM applications a WHERE a.created_at >= $w;
SELECT COUNT(*), SUM(l.principal_fen), SUM(CAST(l.principal_fen AS DECIMAL(38,0)) * l.rate_bps) DIV SUM(l.principal_fen),
	SUM(IF(p.kind = 'credit', l.principal_fen, 0)) FROM loans l JOIN products p ON p.id = l.product_id
	WHERE l.disbursed_on BETWEEN '2023-01-01' AND '2025-12-31';
SELECT TIMESTAMPDIFF(HOUR, w.at, v.at) AS h, COUNT(*), SUM(v.at > a.response_due_at) FROM application_events v
	JOIN application_events w ON w.id = (SELECT MAX(u.id) FROM application_events u
	WHERE u.application_id = v.application_id AND u.id < v.id)
	JOIN applications a ON a.id = v.application_id
	WHERE v.status IN ('accepted', 'rejected') AND w.status = 'pending_bank'
	AND v.at >= '2023-01-01' - INTERVAL 8 HOUR AND v.at < '2025-12-31' + INTERVAL 16 HOUR GROUP BY h"
plain_town="SELECT e.town, SUM(t.a), SUM(t.ap), SUM(t.n), SUM(t.fen) FROM (
	SELECT a.enterprise_id AS ent, 1 AS a, a.status IN ('approved','disbursed') AS ap, 0 AS n, 0 AS fen
	FROM applications a WHERE a.created_at >= $w
	UNION ALL SELECT l.enterprise_id, 0, 0, 1, l.principal_fen FROM loans l
	WHERE l.disbursed_on BETWEEN '2023-01-01' AND '2025-12-31') t JOIN enterprises e ON e.id = t.ent GROUP BY e.town"
time_sql() {
	local t=() i a
	for ((i = 0; i < runs; i++)); do
		a=$(ms_now)
		db "$1" >/dev/null
		t+=($(($(ms_now) - a)))
	done
	median "${t[@]}"
}
echo "  plain SQL over the base tables, bureau, same window, median of $runs (ms, mariadb client included):"
echo "    overview (applications, loans, response histogram): $(time_sql "$plain_overview")"
echo "    breakdown by town: $(time_sql "$plain_town")"

# Both ways must agree.
got=$(curl -sf -H "Authorization: Bearer ${token[bureau]}" "http://127.0.0.1:$port/api/v1/stats/overview?$window" |
	python3 -c 'import sys, json; o = json.load(sys.stdin); print(o["applications"], o["approved"], o["disbursed_fen"])')
want=$(db "SELECT COUNT(*), SUM(a.status IN ('approved','disbursed')), (SELECT SUM(principal_fen) FROM loans
	WHERE disbursed_on BETWEEN '2023-01-01' AND '2025-12-31') FROM applications a WHERE a.created_at >= $w" | tr '\t' ' ')
echo "  applications, approved, disbursed_fen: rollups $got; plain SQL $want ($([[ $got == "$want" ]] && echo agree || echo DISAGREE))"
kill $pid
wait $pid 2>/dev/null || true
trap - EXIT
