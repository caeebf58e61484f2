# Hostile names and prose reach the DOT text escaped: quotes, backslashes,
# ampersands, tabs and control characters in prose, keywords and UTF-8 in
# names; names that resolve to nothing of the right kind become dashed
# nodes; two declarations with one name stay two nodes.
printf 'dataset loss { about "a \\"quoted\\" \\\\ back\\\\slash & amp, tab\\there, \\nnewline, caf\303\251 \001"; input x: real; label y: binary; }\n' > hostile.loss
cat >> hostile.loss <<'LOSS'
loss mean on loss { output u: real; value = u; reduce mean; precision float32; }
loss mean on nowhere { output u: real; value = u; reduce mean; precision float32; }
goal agent { about "<b>not html</b> & {braces} [brackets] \\N \\G"; }
rationale for for agent { uses mean, missing, agent; setup "s"; because "b"; }
rationale r2 for mean { uses mean; setup "s"; because "b"; }
agent goal { trained_by agent; cares_about other "the \"number\" in its register\nand a\\ backslash, then a long tail of words to wrap across several lines in the label"; }
agent a2 { trained_by nobody; cares_about goal missing_goal; }
agent a3 { trained_by mean; cares_about register; }
LOSS
"$LOSSC" graph hostile.loss
echo "exit $?"
