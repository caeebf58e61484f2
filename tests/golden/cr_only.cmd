# Old-Mac line ends (a lone CR): the leading // comment ends at the first
# CR, so the rest of the file is code, with the lines and columns an
# editor shows.  (Before, the whole file was one comment and linted clean.)
printf '// spec with CR line ends\rgoal g {\r    about "caf\303\251";\r}\rrationale r for g {\r    uses missing;\r}\r' > cr.loss
"$LOSSC" lint cr.loss
