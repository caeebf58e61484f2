#!/bin/sh
# tests/rules.sh: every shipped rule fires on each of its 'bad:' examples and
# on none of its 'good:' examples (lossc rules --test, as users run it).
: "${LOSSC:=${top_builddir:-.}/lossc}"
exec "$LOSSC" rules --test "${top_srcdir:-$(dirname "$0")/..}/rules"
