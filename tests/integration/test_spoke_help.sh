#!/usr/bin/env bash
# inbound-spoke's help: --help, -h and help list the six commands, one line
# each; each command's --help gives its usage and describes every option
# its usage line names; an unknown option is a usage error (2) that points
# to the command's --help.  No database or hub needed.
. "$(dirname "$0")/lib.sh"

for h in --help -h help; do
	out=$("$SPOKE_BIN" $h) || fail "inbound-spoke $h exits non-zero"
	for c in check seal publish stats run status; do
		grep -qE "^  $c +[a-z]" <<<"$out" || fail "inbound-spoke $h: no line for $c"
	done
done
pass "--help, -h and help list every command"
assert_contains "$("$SPOKE_BIN" --version)" "inbound-spoke " "--version prints the version"

for c in check seal publish stats run status keys refer inbox answer withdraw; do
	out=$("$SPOKE_BIN" "$c" --help) || fail "$c --help exits non-zero"
	assert_contains "$out" "usage: inbound-spoke $c" "$c --help: usage"
	assert_contains "$out" "Exit status:" "$c --help: exit statuses"
	# every option of the usage lines has a line of its own that describes it
	usage=$(echo "$out" | sed -n '1,/^$/p')
	for opt in $(echo "$usage" | grep -oE -- '--[a-z0-9-]+' | sort -u); do
		[ "$opt" = --help ] && continue
		grep -qE "^  (--[a-z0-9-]+ [A-Za-z.|]+, )*$opt([ ,]|$)" < <(sed -n '/^$/,$p' <<<"$out") ||
			fail "$c --help does not describe $opt"
	done
	pass "$c --help describes $(echo "$usage" | grep -oE -- '--[a-z0-9-]+' | sort -u | wc -l) options"
	rc=0
	"$SPOKE_BIN" "$c" --no-such-option >/dev/null 2>"$WORK/err" || rc=$?
	assert_eq "$rc" 2 "$c with an unknown option: usage error"
	assert_contains "$(cat "$WORK/err")" "'inbound-spoke $c --help' describes the options" "$c: the usage error points to --help"
done
