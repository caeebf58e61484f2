# LF, CRLF and lone CR in one file: every one ends a line, for line
# numbers, columns, the source line shown, and which line an allow covers.
printf 'goal g {\r\n    about "x";\n}\rrationale r for g {\r    uses missing; // lossc: allow LS010 -- renamed later\r\n    // lossc: allow LS010 -- the next line\r    uses gone;\n    uses missing2;\r}\n' > mixed.loss
"$LOSSC" lint mixed.loss
