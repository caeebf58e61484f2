#!/bin/sh
# check.sh: the LossSpec v2 reference cases (cases.sh) that this lossc
# compiles today, for `make check`: the ones with constant sizes (dpo,
# bradley_terry) and the ones with named sizes (weighted_mse's D,
# token_ce's V, distill's C, vae_elbo's V and L), each spec as written,
# its sizes bound when the generated functions are called.  Each matches
# PyTorch's float64 value and every gradient element within 1e-9
# relative, at the case's batch, at one row, with weights summing to 0,
# with every row ignored, and at sizes of their own (edges.py): a
# vocabulary of 2100 (the log-sum-exp in two chunks), a single class,
# 3000 pixels with a latent width of 1.  ppo_clip, whose advantages are
# normalized by statistics over the batch, runs at 8, 2 and 1 rows (NaN at
# one row, as torch.std); temperature (not one of the ten: a learned
# temperature declared `per batch`, whose gradient sums over the rows) at
# 6 rows and at one.  infonce's S is a row as long as the batch (real[B])
# and its target arange(B): at 8 rows, one, two and 70.  The gradients of
# clip (un @ transpose(vn), the transpose of its logits) and
# triplet_hardest (cdist, its diagonal, eye(B), the hardest negative's
# min) cross rows: clip at 8 rows, one and three; triplet_hardest at 8,
# one and two.
: "${top_srcdir:?set top_srcdir}"
exec sh "$top_srcdir/tests/v2/cases.sh" dpo dpo.b1 bradley_terry bradley_terry.b1 \
	weighted_mse weighted_mse.b1 weighted_mse.zero_weights \
	token_ce token_ce.all_ignored token_ce.b1 \
	token_ce.v2100 distill distill.b1 distill.c1 vae_elbo vae_elbo.b1 vae_elbo.wide \
	ppo_clip ppo_clip.b2 ppo_clip.b1 temperature temperature.b1 \
	infonce infonce.b1 infonce.b2 infonce.b70 clip clip.b1 clip.b3 \
	triplet_hardest triplet_hardest.b1 triplet_hardest.b2
