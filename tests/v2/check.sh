#!/bin/sh
# check.sh: the LossSpec v2 reference cases (cases.sh) that this lossc
# compiles today, for `make check`: the ones with constant sizes, and
# weighted_mse and token_ce with their named size bound to the case's
# number (weighted_mse_d5.loss, token_ce_v11.loss, token_ce_v2.loss).
# Each matches PyTorch's float64 value and every gradient element within
# 1e-9 relative, at the case's batch, at one row, with weights summing to
# 0 and with every row ignored.  The
# other cases need named sizes and batch terms in gen; cases.sh runs them
# by name.
: "${top_srcdir:?set top_srcdir}"
exec sh "$top_srcdir/tests/v2/cases.sh" dpo dpo.b1 bradley_terry bradley_terry.b1 \
	weighted_mse@weighted_mse_d5 weighted_mse.b1@weighted_mse_d5 \
	weighted_mse.zero_weights@weighted_mse_d5 \
	token_ce@token_ce_v11 token_ce.all_ignored@token_ce_v11 token_ce.b1@token_ce_v2
