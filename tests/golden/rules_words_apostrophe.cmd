# A team word written with the typographic apostrophe U+2019 (O’Neill) is
# stored with "'" (lossc-rules(5) WORD CLASSES): the text's O’Neill and
# O'Neill are both that word, and Neill alone is not.  Other characters
# of the same lead byte (the en dash U+2013 of Falcon–2, the arrow U+2192)
# are kept as written.
mkdir team
printf 'class: agent\nword: O\342\200\231Neill, Falcon\342\200\2232, A\342\206\222B\n' > team/names.words
printf 'O\342\200\231Neill wants a low loss.\nO'"'"'Neill wants a low loss.\nNeill wants a low loss.\n' > t.txt
printf 'Falcon\342\200\2232 wants a low loss.\nA\342\206\222B wants a low loss.\n' >> t.txt
"$LOSSC" lint --no-config --rules team t.txt; echo "exit $?"
