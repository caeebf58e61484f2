#!/bin/sh
# tests/claims/corpus.sh: the claim corpus (tests/claims/run.sh says how a
# claim is judged).  No false claim may be proven and no true one refuted,
# in any set.
set -u
: "${LOSSC:?}" "${top_srcdir:?}"
rc=0
for set in tuning; do
	echo "== claim corpus: $set"
	sh "$top_srcdir/tests/claims/run.sh" "$LOSSC" "$top_srcdir/tests/claims/$set" || rc=1
done
exit $rc
