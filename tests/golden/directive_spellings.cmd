# Directives in their rarer spellings.  Markdown: tabs around the words,
# the colon optional before off/on, a reason after on, a directive over
# three lines; 'off' with a code, an empty 'lossc:' and an unknown word
# are LS008.  LossSpec: a lower-case code, a family with a capital X,
# codes separated by a tab and a comma; allow-file naming nothing is LS008.
printf '# Directives\n\n<!--\tlossc: off\t-->\n\nThe agent wants low loss.\n\n<!-- lossc:\ton -- back on -->\n\nThe model wants low loss.\n\n<!-- lossc: off now -->\n\n<!-- lossc: -->\n\n<!-- lossc frobnicate -->\n\n<!-- lossc:\nallow LS211 -- across\nlines -->\nThe policy wants low loss.\n\nThe network wants low loss.\n' > d.md
printf '// lossc: allow-file -- nothing named\ngoal g {\n    about "The agent wants low loss."; // lossc: allow ls211 -- lower case\n    about "The model wants low loss."; // lossc: allow LS2XX -- a family, capital X\n    about "The policy wants low loss."; // lossc: allow\tLS211,\tLS212 -- tabs and commas\n}\n' > a.loss
"$LOSSC" lint --no-config d.md a.loss; echo "exit $?"
