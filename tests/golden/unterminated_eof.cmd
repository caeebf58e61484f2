# An unterminated string and an unterminated comment at the very end of a
# file (no final newline): LS001 at the opening quote / comment, exit 2.
printf 'goal g { about "never closed' > string.loss
printf 'goal g { }\n/* never closed' > comment.loss
"$LOSSC" lint string.loss comment.loss
