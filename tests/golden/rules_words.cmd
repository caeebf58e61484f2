# rules --words CLASS: every form a word class generates, wrapped at 76
# columns, then the entries that are patterns rather than words (a gap,
# a class reference), from a team's own .words file; an unknown class
# names the classes there are (the built-in list is cut here) and exits 2.
mkdir team
cat > team/shop.words <<'W'
class: gadget
title: small machines
noun: widget, sprocket, thing ...1 box, cog wheel
word: the contraption
verb: tinker* with
irregular: tinker: tinkers, tinkered, tinkering
class: gadgetry
word: {gadget} shop
W
"$LOSSC" rules --rules team --words gadget; echo "exit $?"
"$LOSSC" rules --rules team --words=gadgetry; echo "exit $?"
"$LOSSC" rules --rules team --words nosuch 2>err; echo "exit $?"
sed 's/(classes:.* gadget gadgetry)$/(classes: ... gadget gadgetry)/' err
"$LOSSC" rules --rules team --words; echo "exit $?"
