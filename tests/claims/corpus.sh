#!/bin/sh
# tests/claims/corpus.sh: the claim corpus (tests/claims/run.sh says how a
# claim is judged).  No false claim may be proven and no true one refuted,
# in any set; in the tuning set, the one the proof rules were written
# against, every true claim must be proven.
set -u
: "${LOSSC:?}" "${top_srcdir:?}"
rc=0
echo "== claim corpus: tuning"
sh "$top_srcdir/tests/claims/run.sh" "$LOSSC" "$top_srcdir/tests/claims/tuning" --require-true || rc=1
# The held-out set (written by someone who had not seen the analyzer,
# never used to tune): reported, and held to the same soundness.
echo "== claim corpus: held out"
sh "$top_srcdir/tests/claims/run.sh" "$LOSSC" "$top_srcdir/tests/claims/heldout" || rc=1
# The held-out smoothness claims (session 3: written and committed before
# the smoothness analysis changed, never tuned on).
echo "== claim corpus: held-out smoothness"
sh "$top_srcdir/tests/claims/run.sh" "$LOSSC" "$top_srcdir/tests/claims/heldout-smooth" || rc=1
# Losses with named sizes (size D; real[D]): their claims are searched at
# bound sizes, and every false claim must be refuted with its witness.
# The tuning set was written with the searches; the held-out one before
# them (never tuned on).
echo "== claim corpus: named sizes, tuning"
sh "$top_srcdir/tests/claims/run.sh" "$LOSSC" "$top_srcdir/tests/claims/sized" --require-refuted || rc=1
echo "== claim corpus: named sizes, held out"
sh "$top_srcdir/tests/claims/run.sh" "$LOSSC" "$top_srcdir/tests/claims/heldout-sized" --require-refuted || rc=1
exit $rc
