# --exclude globs are relative to the working directory, also for files
# above it (lossc(1) --exclude): '../specs/drafts' names that directory;
# '*' and '**' never match a leading '..' (they do not climb out of the
# working directory), while a bare name matches any component below the
# leading ../ ones.  Each line: the pattern, then how many of the two
# files were still linted.
mkdir -p proj/work proj/specs/drafts
printf 'goal g { about "x"; }\n' > proj/specs/a.loss
cp proj/specs/a.loss proj/specs/drafts/d.loss
cd proj/work
for ex in ../specs/drafts '*/drafts' '*/specs/drafts' '**/drafts' drafts ./drafts; do
	printf '%s: ' "$ex"
	"$LOSSC" lint --no-config --exclude "$ex" ../specs | grep -c LS101
done
