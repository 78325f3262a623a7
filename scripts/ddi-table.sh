#!/usr/bin/env bash
# ddi-table.sh -- owns: the table of every DDI/DKI name the shim gives
# drivers, generated from the headers (include/sys, include/vm,
# kernel/include/sys) so that it is complete: one row per header with its
# functions, macros and constants, types and variables.  docs/drivers.md holds its output between the markers
# "<!-- ddi-table -->" and "<!-- /ddi-table -->"; scripts/header-check.sh
# checks that it is up to date.  Prints Markdown.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# names of the shim's machinery, not of the DDI
internal='(_|dm_|DM_|ddi_mod_install$|ddi_module_gone$|ddi_pfn_t$|ddi_module_)'
names() { # HEADER: "kind name" lines
	awk '
	/^#define/ { n = $2; sub(/\(.*/, "", n); print "m " n; next }
	/^(typedef )?enum.*\{.*\}/ { # on one line
		body = $0; sub(/.*\{/, "", body); t = body; sub(/\}.*/, "", body)
		k = split(body, m, ","); for (i = 1; i <= k; i++) {
			n = m[i]; sub(/=.*/, "", n); gsub(/ /, "", n); if (n != "") print "m " n }
		sub(/.*\} */, "", t); sub(/;.*/, "", t); if (t != "") print "t " t; next }
	/^(typedef )?enum.*\{/ { inenum = 1; next }
	inenum && /^\}/ { inenum = 0 }
	inenum { n = $1; sub(/[,=].*/, "", n); if (n != "") print "m " n; next }
	/^typedef/ && /;/ { n = $0; sub(/;.*/, "", n); sub(/.*[ *]/, "", n)
		if (n !~ /\)/) print "t " n; next }
	/^\} [a-z_]+;/ { n = $2; sub(/;/, "", n); print "t " n; next }
	/^struct [a-z_0-9]+ \{/ { print "t struct " $2; next }
	/^extern/ { n = $0; sub(/;.*/, "", n); sub(/.*[ *]/, "", n); print "v " n; next }
	/^[a-z].*[ *][a-zA-Z_0-9]+\(/ && !/^typedef/ {
		n = $0; sub(/\(.*/, "", n); sub(/.*[ *]/, "", n); print "f " n }
	' "$1" | sort -u
}
list() { # KINDS: the names of those kinds (a regex) from stdin, comma-separated
	awk -v k="^($1)$" '$1 ~ k { $1 = ""; sub(/^ /, ""); printf "%s`%s`", sep, $0; sep = ", " }'
}
echo "| header | functions | macros and constants | types and variables |"
echo "|---|---|---|---|"
for dir in include kernel/include; do
	for f in "$repo/$dir"/sys/*.h "$repo/$dir"/vm/*.h; do
		[ -e "$f" ] || continue
		h=${f#"$repo/$dir/"}
		# a function wrapped in a macro of its name (cmn_err) is a function
		n=$(names "$f" | grep -vE "^. (struct )?$internal" |
			awk '{ k[NR] = $1; v[NR] = $2; l[NR] = $0; if ($1 == "f") fn[$2] = 1 }
			END { for (i = 1; i <= NR; i++) if (k[i] != "m" || !(v[i] in fn)) print l[i] }' || true)
		[ -n "$n" ] || continue
		# shellcheck disable=SC2016 # the backquotes are Markdown
		printf '| `<%s>` | %s | %s | %s |\n' "$h" "$(list f <<<"$n")" \
			"$(list m <<<"$n")" "$(list 't|v' <<<"$n")"
	done
done
