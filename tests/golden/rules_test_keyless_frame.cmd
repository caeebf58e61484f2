# lossc rules --test runs each frame on its rule's examples one frame at a
# time, the keyless one (all its words common: lossc-rules(5) PREFILTER)
# included: each bad example must fire and each good one stay silent.
# A good example the keyless frame matches is a failure naming it.
mkdir kt
printf 'code: LS901\nname: same\ntitle: the loss called the reward\nseverity: warning\nconcept: 3\nscope: prose\nmessage: "{match}" equates the two\nframe: the loss is the reward\nframe: {agent} ...2 {want} ...2 {signal}\nbad: In short, the loss is the reward here.\nbad: The agent wants reward.\ngood: The loss, it is the reward.\n' > kt/LS901-same.rule
"$LOSSC" rules --test kt; echo "exit $?"
printf 'good: Indeed the loss is the reward.\n' >> kt/LS901-same.rule
"$LOSSC" rules --test kt; echo "exit $?"
