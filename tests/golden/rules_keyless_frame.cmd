# A team frame whose required words are all `common:` words (english.words:
# "the", "loss", "is", ...) has no prefilter key: it cannot be indexed by
# a rare word, so it runs over the whole text instead of on the clauses
# holding its keys (lossc-rules(5) PREFILTER), alone or beside keyed frames
# of the same rule.  It still matches only where its words stand as written.
mkdir team
printf 'In short, the loss is the reward here.\nThe loss, it is the reward.\nthe loss\nis the reward\n' > t.txt
printf 'code: LS901\nmessage: "{match}" equates the two\nframe: the loss is the reward\n' > team/LS901-same.rule
"$LOSSC" lint --no-config --rules team t.txt; echo "exit $?"
printf 'code: LS901\nmessage: "{match}" equates the two\nframe: the loss is the reward\nframe: {agent} ...2 {want} ...2 {signal}\n' > team/LS901-same.rule
printf 'The loss is the reward. The agent wants reward.\n' | "$LOSSC" lint --no-config --rules team --stdin-filename notes.txt -; echo "exit $?"
