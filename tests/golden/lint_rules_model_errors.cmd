# A team's clause model (.model file in a --rules directory) that cannot be
# used is a broken rule set: exit 2, nothing linted, and the error names
# the model file and the line and column of what is wrong, never the
# position of the model among every file loaded (the built-in
# clauses.model holds models too).
printf 'The agent wants low loss.\n' > t.txt
mkdir code nocode class
printf 'model: 4\ncode: LS999\nweight: agent 1\n' > code/team.model
"$LOSSC" lint --no-config --rules code t.txt; echo "exit $?"
printf 'model: 3\ncode: LS202\nbias: 0\n\nmodel: 4\nweight: agent 1\n' > nocode/team.model
"$LOSSC" lint --no-config --rules nocode t.txt; echo "exit $?"
printf 'model: 4\ncode: LS211\nweight: agent<wnat 1\n' > class/team.model
"$LOSSC" lint --no-config --rules class t.txt; echo "exit $?"
