# A NUL byte is LS002 at its line and column, exit 2.
printf 'goal g {\n    about "a\000b";\n}\n' > nul.loss
"$LOSSC" lint nul.loss
