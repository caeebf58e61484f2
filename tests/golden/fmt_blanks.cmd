# Every blank the lexer accepts between tokens (space, tab, form feed,
# vertical tab, CR) is layout to fmt: it goes, and the tokens, comments
# and numbers (exponents, fractions) come out in the house layout; a
# block comment holding '*' and '/' apart, and '/' alone as division,
# stay what they are.
printf 'goal\fg {\vabout "x";\t}\n/* a * b / c */\nloss l on d {\voutput o: real;\fvalue = 1.5e-3 * o / 2E+2 + 3.0 + 0.5e1 - 7e2;\r}\ndataset d {input x: real;}\n' > blanks.loss
"$LOSSC" fmt - < blanks.loss; echo "exit $?"
