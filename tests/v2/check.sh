#!/bin/sh
# check.sh: the LossSpec v2 reference cases (cases.sh) that this lossc
# compiles today, for `make check`: the ones with constant sizes (dpo,
# bradley_terry), and weighted_mse, token_ce, distill and vae_elbo with
# their named sizes bound to the case's numbers (NAME_d5.loss, ...).
# Each matches PyTorch's float64 value and every gradient element within
# 1e-9 relative, at the case's batch, at one row, with weights summing to
# 0 and with every row ignored; and ppo_clip, whose advantages are
# normalized by statistics over the batch, at 8, 2 and 1 rows (NaN at one
# row, as torch.std); and temperature (not one of the ten: a learned
# temperature declared `per batch`, whose gradient sums over the rows).
# The other cases need named sizes and in-batch
# similarities in gen; cases.sh runs them by name.
: "${top_srcdir:?set top_srcdir}"
exec sh "$top_srcdir/tests/v2/cases.sh" dpo dpo.b1 bradley_terry bradley_terry.b1 \
	weighted_mse@weighted_mse_d5 weighted_mse.b1@weighted_mse_d5 \
	weighted_mse.zero_weights@weighted_mse_d5 \
	token_ce@token_ce_v11 token_ce.all_ignored@token_ce_v11 token_ce.b1@token_ce_v2 \
	distill@distill_c6 distill.b1@distill_c6 vae_elbo@vae_elbo_v11 vae_elbo.b1@vae_elbo_v11 \
	ppo_clip ppo_clip.b2 ppo_clip.b1 temperature temperature.b1
