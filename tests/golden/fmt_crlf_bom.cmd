# A file keeps its line ends (CRLF when its first line ends so) and its
# UTF-8 byte order mark: fmt changes the layout, not the encoding.
printf 'goal g{about "x";}\r\n// c\r\nagent a{trained_by l;cares_about predictions;}\r\n' > crlf.loss
printf '\357\273\277goal g{about "x";}\n' > bom.loss
"$LOSSC" fmt crlf.loss bom.loss
echo "exit $?"
od -c crlf.loss | sed 's/  */ /g'
od -c bom.loss | sed 's/  */ /g' | head -n 2
"$LOSSC" fmt --check crlf.loss bom.loss && echo "stable"
