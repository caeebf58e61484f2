# Invalid UTF-8: an overlong encoding of '/', a surrogate, and a truncated
# sequence, each in its own file.  LS002 at the first bad byte, exit 2.
printf 'goal g { about "x\300\257"; }\n' > overlong.loss
printf 'goal g {\n  about "\355\240\200";\n}\n' > surrogate.loss
printf 'goal g { about "\342\202' > truncated.loss
"$LOSSC" lint overlong.loss surrogate.loss truncated.loss
