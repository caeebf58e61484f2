# In place: only files whose text changes are written (a formatted file
# keeps its time stamp), atomically, keeping the file's permissions; a
# symbolic link stays a link to the rewritten file; nothing is left
# behind.  A file that does not parse is reported and left alone while
# the others are formatted (exit 2).
printf 'goal g{about "x";}\n' > a.loss
chmod 640 a.loss
ln -s a.loss link.loss
printf 'goal h {\n}\n' > tidy.loss
touch -d '2001-02-03 04:05:06' tidy.loss
"$LOSSC" fmt link.loss tidy.loss
echo "exit $?"
test -L link.loss && echo "link.loss is still a link"
cat a.loss
echo "mode $(stat -c %a a.loss)"
echo "tidy.loss written: $(test "$(stat -c %Y tidy.loss)" = "$(date -d '2001-02-03 04:05:06' +%s)" && echo no || echo yes)"
echo "== a file with a syntax error, among others"
printf 'goal g { about "x" }\n' > broken.loss
cp broken.loss broken.orig
printf 'goal k{}\n' > good.loss
"$LOSSC" fmt broken.loss good.loss
echo "exit $?"
cmp -s broken.loss broken.orig && echo "broken.loss is untouched"
cat good.loss
echo "== an empty directory, a missing file"
mkdir dir
"$LOSSC" fmt dir missing.loss
echo "exit $?"
ls -A
