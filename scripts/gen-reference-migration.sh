#!/usr/bin/env bash
# gen-reference-migration.sh [DATA_DIR] — regenerate
# migrations/0001_reference_data.sql from the district's reference CSV files
# (default DATA_DIR: ../shared/data beside the repository). A developer tool:
# the generated SQL is committed, and nothing at build, run or test time reads
# the CSV files.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=${1:-$root/../shared/data}
out=$root/migrations/0001_reference_data.sql

for f in towns parks industries sme_size; do
	[[ -r $data/$f.csv ]] || { echo "gen-reference-migration: cannot read '$data/$f.csv'" >&2; exit 1; }
done
command -v node >/dev/null 2>&1 || { echo "gen-reference-migration: cannot find node (scripts/deps.sh)" >&2; exit 1; }

trap 'rm -f "$out.tmp"' EXIT
node - "$data" "$out.tmp" <<'EOF'
'use strict';
const fs = require('fs');
const path = require('path');
const [dataDir, outFile] = process.argv.slice(2);

// RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines.
// Lines starting with '#' before the header are comments, returned apart.
function readCsv(name) {
  const text = fs.readFileSync(path.join(dataDir, name), 'utf8').replace(/^\uFEFF/, '');
  const comments = [];
  let body = text;
  while (body.startsWith('#')) {
    const nl = body.indexOf('\n');
    comments.push(body.slice(1, nl < 0 ? body.length : nl).replace(/\r$/, '').trim());
    body = nl < 0 ? '' : body.slice(nl + 1);
  }
  const rows = [];
  let row = [], field = '', quoted = false, i = 0, any = false;
  while (i < body.length) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c; i++; continue;
    }
    if (c === '"' && field === '') { quoted = true; any = true; i++; continue; }
    if (c === ',') { row.push(field); field = ''; any = true; i++; continue; }
    if (c === '\r') { i++; continue; }
    if (c === '\n') {
      if (any || field !== '') { row.push(field); rows.push(row); }
      row = []; field = ''; any = false; i++; continue;
    }
    field += c; any = true; i++;
  }
  if (quoted) throw new Error(`${name}: unterminated quoted field`);
  if (any || field !== '') { row.push(field); rows.push(row); }
  const header = rows.shift();
  const records = rows.map((r, n) => {
    if (r.length !== header.length)
      throw new Error(`${name}: row ${n + 2} has ${r.length} fields, the header has ${header.length}`);
    return Object.fromEntries(header.map((h, k) => [h, r[k].trim()]));
  });
  return { comments, records };
}

function sqlString(s) {
  return "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";
}
function sqlInt(s, what) {
  if (!/^-?[0-9]+$/.test(s)) throw new Error(`${what}: '${s}' is not an integer`);
  return String(Number(s));
}
function need(cond, msg) { if (!cond) throw new Error(msg); }
function values(rows) { return rows.map((r) => '  (' + r.join(', ') + ')').join(',\n') + ';'; }

// GB/T 4754-2017: the two-digit divisions of each section.
const DIVISIONS = {
  A: [1, 5], B: [6, 12], C: [13, 43], D: [44, 46], E: [47, 50], F: [51, 52],
  G: [53, 60], H: [61, 62], I: [63, 65], J: [66, 69], K: [70, 70], L: [71, 72],
  M: [73, 75], N: [76, 79], O: [80, 82], P: [83, 83], Q: [84, 85], R: [86, 90],
  S: [91, 96], T: [97, 97],
};
const TOWN_KINDS = new Set(['town', 'subdistrict', 'zone']);
const MEASURES = ['staff', 'revenue', 'assets'];
const LEVELS = [['large', 'large_at_least'], ['medium', 'medium_at_least'], ['small', 'small_at_least']];

const towns = readCsv('towns.csv').records;
const parks = readCsv('parks.csv').records;
const industries = readCsv('industries.csv').records;
const size = readCsv('sme_size.csv');

const seen = (list, key, what) => {
  const s = new Set();
  for (const r of list) { need(!s.has(r[key]), `${what}: duplicate ${key} '${r[key]}'`); s.add(r[key]); }
};
seen(towns, 'code', 'towns.csv');
seen(parks, 'id', 'parks.csv');
seen(parks, 'code', 'parks.csv');
seen(industries, 'code', 'industries.csv');
seen(size.records, 'row', 'sme_size.csv');

for (const t of towns) need(TOWN_KINDS.has(t.kind), `towns.csv: '${t.code}' has unknown kind '${t.kind}'`);
for (const s of industries) need(DIVISIONS[s.code], `industries.csv: no GB/T 4754-2017 divisions known for section '${s.code}'`);
for (const k of Object.keys(DIVISIONS))
  need(industries.some((s) => s.code === k), `industries.csv: section '${k}' is missing`);

function parseMeasures(text, where) {
  const m = {};
  for (const part of text.split(';').map((p) => p.trim()).filter(Boolean)) {
    const [k, v] = part.split('=');
    need(MEASURES.includes(k), `${where}: unknown measure '${k}'`);
    need(!(k in m), `${where}: measure '${k}' given twice`);
    m[k] = sqlInt(v, where);
  }
  need(Object.keys(m).length > 0, `${where}: no measure`);
  return m;
}
const ruleRows = [];
const prefixRows = [];
const prefixSeen = new Map();
size.records.forEach((r, n) => {
  const cols = [sqlString(r.row), String(n + 1)];
  for (const [, col] of LEVELS) {
    const m = parseMeasures(r[col], `sme_size.csv row '${r.row}' ${col}`);
    for (const k of MEASURES) cols.push(m[k] ?? 'NULL');
  }
  ruleRows.push(cols);
  const codes = r.applies_to.split(/\s+/).filter(Boolean);
  if (codes.length === 1 && codes[0] === 'other') return;
  for (const p of codes) {
    need(/^[A-T][0-9]{0,4}$/.test(p) && DIVISIONS[p[0]], `sme_size.csv row '${r.row}': bad industry prefix '${p}'`);
    need(!prefixSeen.has(p), `sme_size.csv: prefix '${p}' in both '${prefixSeen.get(p)}' and '${r.row}'`);
    prefixSeen.set(p, r.row);
    prefixRows.push([sqlString(p), sqlString(r.row)]);
  }
});
need(size.records.some((r) => r.applies_to === 'other'), "sme_size.csv: no 'other' row");

const TABLE_OPTS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
const out = [];
out.push(`-- 0001_reference_data.sql — the district's reference data: towns (街镇), parks,
-- GB/T 4754-2017 industry sections and the SME size-class rules.
-- Generated by scripts/gen-reference-migration.sh from the district's reference
-- CSV files; regenerate rather than edit by hand.

SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;

-- Towns and subdistricts (街镇) and the two zones, in the district's own order.
CREATE TABLE towns (
  code       VARCHAR(32)  NOT NULL,
  name       VARCHAR(64)  NOT NULL,
  name_en    VARCHAR(128) NOT NULL,
  kind       ENUM('town','subdistrict','zone') NOT NULL,
  sort_order INT          NOT NULL,
  PRIMARY KEY (code)
) ${TABLE_OPTS};

INSERT INTO towns (code, name, name_en, kind, sort_order) VALUES
${values(towns.map((t, n) => [sqlString(t.code), sqlString(t.name), sqlString(t.name_en), sqlString(t.kind), String(n + 1)]))}

-- Parks and their operators.
CREATE TABLE parks (
  id       INT          NOT NULL,
  code     VARCHAR(64)  NOT NULL,
  name     VARCHAR(128) NOT NULL,
  name_en  VARCHAR(128) NOT NULL,
  operator VARCHAR(128) NOT NULL,
  focus    VARCHAR(512) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY parks_code (code)
) ${TABLE_OPTS};

INSERT INTO parks (id, code, name, name_en, operator, focus) VALUES
${values(parks.map((p) => [sqlInt(p.id, 'parks.csv id'), sqlString(p.code), sqlString(p.name), sqlString(p.name_en), sqlString(p.operator), sqlString(p.focus)]))}

-- GB/T 4754-2017 sections (门类) and the range of two-digit divisions (大类) in
-- each: an industry code is a section letter, optionally followed by digits
-- whose first two are a division of that section ('C', 'C26', 'K702').
CREATE TABLE industries (
  code         CHAR(1)          NOT NULL,
  name         VARCHAR(128)     NOT NULL,
  name_en      VARCHAR(256)     NOT NULL,
  division_min TINYINT UNSIGNED NOT NULL,
  division_max TINYINT UNSIGNED NOT NULL,
  PRIMARY KEY (code),
  CONSTRAINT industries_division_range CHECK (division_min <= division_max)
) ${TABLE_OPTS};

INSERT INTO industries (code, name, name_en, division_min, division_max) VALUES
${values(industries.map((s) => [sqlString(s.code), sqlString(s.name), sqlString(s.name_en), String(DIVISIONS[s.code][0]), String(DIVISIONS[s.code][1])]))}

-- Enterprise size classes (企业规模). From the reference file:
${size.comments.map((c) => '--   ' + c).join('\n')}
--
-- One row per rule; a NULL threshold means the rule does not use that measure.
-- Revenue and assets are in 10,000 yuan (万元). sort_order follows the file.
-- The prefixes name the industry codes each rule applies to; the longest
-- matching prefix wins, and the rule 'other' (no prefixes) is the default.
CREATE TABLE size_class_rules (
  code               VARCHAR(32) NOT NULL,
  sort_order         INT         NOT NULL,
  large_staff        INT         NULL,
  large_revenue_wan  BIGINT      NULL,
  large_assets_wan   BIGINT      NULL,
  medium_staff       INT         NULL,
  medium_revenue_wan BIGINT      NULL,
  medium_assets_wan  BIGINT      NULL,
  small_staff        INT         NULL,
  small_revenue_wan  BIGINT      NULL,
  small_assets_wan   BIGINT      NULL,
  PRIMARY KEY (code)
) ${TABLE_OPTS};

INSERT INTO size_class_rules (code, sort_order,
  large_staff, large_revenue_wan, large_assets_wan,
  medium_staff, medium_revenue_wan, medium_assets_wan,
  small_staff, small_revenue_wan, small_assets_wan) VALUES
${values(ruleRows)}

CREATE TABLE size_class_rule_prefixes (
  prefix    VARCHAR(8)  NOT NULL,
  rule_code VARCHAR(32) NOT NULL,
  PRIMARY KEY (prefix),
  KEY size_class_rule_prefixes_rule (rule_code),
  CONSTRAINT size_class_rule_prefixes_rule_fk FOREIGN KEY (rule_code)
    REFERENCES size_class_rules (code)
) ${TABLE_OPTS};

INSERT INTO size_class_rule_prefixes (prefix, rule_code) VALUES
${values(prefixRows)}
`);
fs.writeFileSync(outFile, out.join(''));
EOF
mv -f "$out.tmp" "$out"
echo "wrote ${out#"$root"/}" >&2
