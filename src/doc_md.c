/*
 * doc_md.c: the prose of a Markdown document (doc_impl.h).
 *
 * The parser is cmark-gfm: CommonMark, plus GitHub's tables,
 * strikethrough, autolinks (bare URLs) and footnotes.  YAML (---) and
 * TOML (+++) front matter are cut off before the parser sees the text,
 * and $ math is found in the texts (doc_text.c).
 *
 * Positions.  cmark-gfm's block positions are right (a block's first
 * line and the byte column where its content starts), but its inline
 * positions are not (columns after a line break assume the first line's
 * container prefix; reference definitions shift lines), and text nodes
 * arrive with backslash escapes and entities decoded.  So each leaf block
 * (paragraph, heading, table row) is aligned: starting at the block's
 * first content byte, its inline nodes are walked in order and matched
 * against the original bytes (an escape or an entity in the source
 * stands for the character it decodes to; emphasis markers, link
 * brackets and destinations, code span fences and line prefixes are
 * consumed and left out of the text).  The text keeps, for each byte,
 * the offset of the source bytes it came from.  An inline node the
 * aligner cannot place exactly is counted (doc_stats.misaligned: the fuzz
 * target and the tests demand zero) and mapped as closely as possible.
 */
#include "doc_impl.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm/houdini.h>

/* How a link node was written: its kind decides what its exit consumes. */
enum { LINK_BRACKET = 1, LINK_ANGLE, LINK_BARE };

struct md {
	const source *src;
	const char *b;          /* src->text */
	size_t len;
	/*
	 * The parser's lines are the source's (both end a line at \n, \r\n
	 * and \r), counted from the line holding base, where the text given
	 * to the parser starts (after any BOM and front matter).
	 */
	size_t base;
	size_t first;           /* index in src->line_start of the parser's line 1 */
	size_t nlines;          /* the parser's lines */
	doc_sink *sink;
	doc_stats *stats;
	doc_text tb, tmp;
	doc_math math;
	cmark_strbuf ent;       /* an entity's decoded bytes */
	size_t floor;           /* the start of the line after the block read last: the next one starts there or later */
	struct md_fn_home *fnh; /* each footnote definition's (md_fn_homes), its user data */
	size_t nfnh;
};

/*
 * Where cmark-gfm had a footnote definition before moving it to the end
 * of the document: the block quote or list item it was written in (NULL:
 * none), and the containers between that and the definition, which
 * cmark-gfm keeps no trace of (md_fn_lost).  md_up and md_conts read it.
 */
struct md_fn_home {
	cmark_node *home;
	int *lost;              /* md_conts entries of the containers between (md_fn_lost) */
	size_t nlost;
};

/* ---- allocation: through xalloc (out of memory: lossc(1), EXIT STATUS) --- */

/*
 * Every block handed to cmark-gfm starts MD_PAD bytes into one of ours,
 * and the byte before it is 0.  cmark-gfm 0.29.0.gfm.6 (Debian 12's)
 * reads the byte before a text buffer when it looks for an extended
 * autolink's protocol ("mailto:", "xmpp:") ending at the buffer's start
 * (GHSA-c944-cv5f-hpvr, fixed in 0.29.0.gfm.7; valgrind saw it on ":@").
 * A 0 there reads as the fixed library treats the start: no letter of a
 * protocol, nothing alphanumeric before one.  MD_PAD keeps the alignment
 * malloc guarantees (a union of the types that need the most).
 */
union md_align {
	long double ld;
	long long ll;
	void *p;
	void (*f)(void);
};
#define MD_PAD sizeof(union md_align)

static void *md_calloc(size_t n, size_t size)
{
	if (size && n > (SIZE_MAX - MD_PAD) / size)
		xalloc_die();
	return (char *)xcalloc(1, MD_PAD + n * size) + MD_PAD;
}

static void *md_realloc(void *p, size_t size)
{
	char *b;
	if (size > SIZE_MAX - MD_PAD)
		xalloc_die();
	b = xrealloc(p ? (char *)p - MD_PAD : NULL, MD_PAD + size);
	b[MD_PAD - 1] = 0;
	return b + MD_PAD;
}

static void md_free(void *p)
{
	if (p)
		free((char *)p - MD_PAD);
}

static cmark_mem md_mem = { md_calloc, md_realloc, md_free };

/* ---- lines and positions ------------------------------------------------ */

/* Length of the line ending at b[i] ("\r\n", "\n", "\r": 2 or 1), 0 if none. */
static size_t md_eol(const struct md *m, size_t i)
{
	if (i >= m->len)
		return 0;
	if (m->b[i] == '\n')
		return 1;
	if (m->b[i] == '\r')
		return i + 1 < m->len && m->b[i + 1] == '\n' ? 2 : 1;
	return 0;
}

/* Where the parser's line l (1-based, at most nlines) starts. */
static size_t md_line_start(const struct md *m, size_t l)
{
	return l <= 1 ? m->base : m->src->line_start[m->first + l - 1];
}

/* The parser's line holding offset off (source lines are in source.c's map). */
static size_t md_line_of(const struct md *m, size_t off)
{
	unsigned long l = source_pos(m->src, off < m->base ? m->base : off).line;
	return l > m->first ? l - m->first : 1;
}

/* Offset of (line, column) as the parser counts them (1-based; column in bytes). */
static size_t md_off(const struct md *m, int line, int col)
{
	size_t off;
	if (line < 1)
		return m->base;
	if ((size_t)line > m->nlines)
		return m->len;
	off = md_line_start(m, (size_t)line) + (size_t)(col > 0 ? col - 1 : 0);
	return off < m->len ? off : m->len;
}

/* The start of the line after the one holding off (the end of the text on the last line). */
static size_t md_after_line(const struct md *m, size_t off)
{
	while (off < m->len && !md_eol(m, off))
		off++;
	return off + md_eol(m, off);
}

static int md_is_ext(cmark_node *n, const char *name);

/*
 * Where a block starts.  When a table interrupts a paragraph, cmark-gfm
 * moves the paragraph's lines into a new paragraph node without a
 * position (line 0), and the table takes the paragraph's first line: then
 * the table's start is the paragraph's.  Other blocks without a position
 * fall back to their container's start.
 */
static size_t md_start(const struct md *m, cmark_node *n)
{
	cmark_node *p = n;
	if (cmark_node_get_start_line(n) < 1 && cmark_node_next(n) && md_is_ext(cmark_node_next(n), "table"))
		p = cmark_node_next(n);
	while (p && cmark_node_get_start_line(p) < 1)
		p = cmark_node_parent(p);
	if (!p)
		return m->base;
	return md_off(m, cmark_node_get_start_line(p), cmark_node_get_start_column(p));
}

static size_t md_table_header_line(const struct md *m, cmark_node *table, size_t from);

/* One past the end of a block: the parser's end column is inclusive; column 0 means "before this line". */
static size_t md_block_end(const struct md *m, cmark_node *n, size_t start)
{
	int el = cmark_node_get_end_line(n), ec = cmark_node_get_end_column(n);
	size_t end = ec > 0 ? md_off(m, el, ec) + 1 : md_off(m, el, 1);
	if (el < 1 && cmark_node_next(n) && md_is_ext(cmark_node_next(n), "table")) {
		/* the paragraph a table interrupted (md_start): the lines before the table's header */
		size_t hl = md_table_header_line(m, cmark_node_next(n), md_line_of(m, start));
		if (hl > 0 && md_line_start(m, hl) > start)
			return md_line_start(m, hl);
	}
	if (end > m->len)
		end = m->len;
	if (end <= start) {
		/* not trusted: the rest of the start line */
		end = start;
		while (end < m->len && !md_eol(m, end))
			end++;
	}
	return end;
}

/*
 * An extension's node (table rows, strikethrough), by its type name: the
 * extensions register their types at run time and their headers, which
 * name them, are not installed.
 */
static int md_is_ext(cmark_node *n, const char *name)
{
	const char *s;
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_DOCUMENT: case CMARK_NODE_BLOCK_QUOTE: case CMARK_NODE_LIST:
	case CMARK_NODE_ITEM: case CMARK_NODE_CODE_BLOCK: case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_PARAGRAPH: case CMARK_NODE_HEADING: case CMARK_NODE_THEMATIC_BREAK:
	case CMARK_NODE_FOOTNOTE_DEFINITION: case CMARK_NODE_TEXT: case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK: case CMARK_NODE_CODE: case CMARK_NODE_HTML_INLINE:
	case CMARK_NODE_EMPH: case CMARK_NODE_STRONG: case CMARK_NODE_LINK: case CMARK_NODE_IMAGE:
	case CMARK_NODE_FOOTNOTE_REFERENCE:
		return 0;
	default:
		s = cmark_node_get_type_string(n);
		return s && strcmp(s, name) == 0;
	}
}

static int md_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Blanks as the table extension trims cells: cmark's spaces but line endings. */
static int md_hspace(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

static int md_punct(char c)
{
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

/* Source line (as lossc numbers lines) of an offset. */
static unsigned long md_line(const struct md *m, size_t off)
{
	return source_pos(m->src, off).line;
}

/* ---- the aligner -------------------------------------------------------- */

#define MD_ALTS 64

struct aln {
	struct md *m;
	size_t cur;             /* the next source byte to account for */
	size_t win;             /* end of the block: the search window when resynchronizing */
	int quotes;             /* block quotes around the block: '>' a continuation line may carry */
	int in_list;            /* a list item holds the block: its indent moves where a marker may be */
	const int *conts;       /* the containers around the block, outermost first (md_conts) */
	size_t nconts;
	size_t text_start;      /* where the parser's text of the block starts: its first line's column 0 */
	int emit;               /* 0: dry run (only counts failures) */
	int skip;               /* > 0: inside an autolink: consumed, not text */
	int autolink;           /* inside one: LINK_ANGLE or LINK_BARE; else 0 */
	/*
	 * In a table cell or the paragraph a table interrupts: the table
	 * extension dropped the backslash of every "\\|" before the inlines
	 * were parsed.
	 */
	int unpiped;
	size_t lim;             /* where the parser's text of the block ends, as far as known: a cell's end */
	size_t fail;
	int tab_cols;           /* > 0: the text goes on at the tab at cur, given as this many spaces (al_continue) */
};

static void al_put(struct aln *a, const char *bytes, size_t n, size_t off)
{
	if (a->emit && !a->skip)
		dtext_put(&a->m->tb, bytes, n, off);
}

/*
 * The rest of a literal the source could not be matched to: kept at the
 * cursor, or dropped when the source has ended (no finding could point
 * past it, and the parser made those bytes up).
 */
static void al_rest(struct aln *a, const char *bytes, size_t n)
{
	if (a->cur < a->m->len)
		al_put(a, bytes, n, a->cur);
}

static void al_fail(struct aln *a)
{
	a->fail++;
}

/* Skip blanks at the cursor. */
static void al_blanks(struct aln *a)
{
	while (a->cur < a->m->len && md_blank(a->m->b[a->cur]))
		a->cur++;
}

/*
 * After a line ending inside a block: the next line's container prefix
 * (md_prefix) and its leading blanks, which the parser usually strips.
 * alts receives every shorter stop on the way, from the line's start on,
 * for when the greedy one is wrong: a '>' that is the text's own (a lazy
 * line), or blanks the parser kept.  The line's start is always kept, and
 * the stop where the containers the line matched end (al_pin), then the
 * latest stops.
 *
 * A lazy line keeps its blanks from where the containers it still
 * matched end (after a backslash hard break they reach the text): any
 * byte of the blank run, or inside a tab when a container took only some
 * of its columns (a '>' marker's optional space, a list item's indent),
 * whose remaining columns the parser turns into spaces.  Such a stop is
 * the tab and the number of columns left of it.
 */
struct al_stop {
	size_t at;
	int cols;               /* > 0: the tab at `at` stands for this many spaces */
};

/* Record a stop: the first is kept, then the latest MD_ALTS - 1. */
static void al_alt(struct al_stop *alts, size_t *nalt, size_t p, int cols)
{
	struct al_stop s;
	s.at = p;
	s.cols = cols;
	if (*nalt < MD_ALTS) {
		alts[(*nalt)++] = s;
		return;
	}
	memmove(alts + 1, alts + 2, (MD_ALTS - 2) * sizeof *alts);
	alts[MD_ALTS - 1] = s;
}

/*
 * Keep among the stops alts[0..*nalt) (al_alt) the one at column `col` of
 * the line starting at ls, where the containers a line matched end: a
 * lazy line's text keeps its blanks from there (a blank run longer than
 * the stops kept would push it out).  In order: it replaces the earliest
 * stop after the line's start when it is not there.
 */
static void al_pin(const struct md *m, struct al_stop *alts, size_t *nalt, size_t ls, size_t col)
{
	size_t c = 0, q = ls;
	int cols = 0;
	while (c < col && q < m->len) {
		size_t w = m->b[q] == '\t' ? 4 - c % 4 : 1;
		if (c + w > col) {
			cols = (int)(c + w - col);      /* inside the tab: the columns left of it */
			break;
		}
		c += w;
		q++;
	}
	for (size_t i = 0; i < *nalt; i++)
		if (alts[i].at == q && alts[i].cols == cols)
			return;
	if (*nalt < 2 || alts[1].at < q || (alts[1].at == q && alts[1].cols > cols))
		return;         /* not recorded at all (not on the line), or not pushed out */
	alts[1].at = q;
	alts[1].cols = cols;
}

/*
 * Past the container prefix of the line at *p and the blanks after it, as
 * cmark-gfm's block prefixes match the containers (md_conts) in order: a
 * list item or footnote definition when the line is indented at least its
 * width past the content of the containers before it (it takes that many
 * columns), a block quote when a '>' is indented less than 4 columns past
 * it (it takes the '>' and one column of blank after it).  The first
 * container that does not match ends the prefix: the line is a lazy one,
 * and a '>' indented too far is its text.  open: past a chain all
 * matched, also the '>' markers that open new block quotes (the same
 * rule).  Returns how many matched; alts, when not NULL, receives the
 * stops (al_alt); *content, when not NULL, the column where the matched
 * containers' content starts.
 */
static size_t md_prefix(const struct md *m, const int *conts, size_t nconts, int open, size_t *p,
			size_t *content, struct al_stop *alts, size_t *nalt)
{
	size_t cur = *p, col = 0;       /* col: cur's column, tabs stopping every 4 */
	size_t base = 0;                /* the column where the matched containers' content starts */
	size_t k = 0, matched = SIZE_MAX;       /* matched: set when a container of the chain did not match */
	if (alts)
		al_alt(alts, nalt, cur, 0);
	for (;;) {
		while (cur < m->len && md_blank(m->b[cur])) {
			if (m->b[cur] == '\t') {
				int w = 4 - (int)(col % 4);
				/* later stops are the ones with fewer columns left */
				for (int c = w - 1; alts && c >= 1; c--)
					al_alt(alts, nalt, cur, c);
				col += (size_t)w;
			} else {
				col++;
			}
			cur++;
			if (alts)
				al_alt(alts, nalt, cur, 0);
		}
		if (k < nconts && conts[k] != 0) {
			/* a list item or footnote definition */
			if (conts[k] < 0) {
				/* an item whose width is not known: it takes the blanks, whatever they are */
				base = col;
			} else if (col >= base + (size_t)conts[k]) {
				base += (size_t)conts[k];
			} else if (open) {
				/* not matched: a new block quote may still open here */
				matched = k;
				k = nconts;
				continue;
			} else {
				break;
			}
		} else if (k < nconts || open) {
			/* a block quote of the chain, or a new one */
			if (cur >= m->len || m->b[cur] != '>' || col >= base + 4)
				break;
			cur++;
			col++;
			base = col + (cur < m->len && md_blank(m->b[cur]));
			if (alts)
				al_alt(alts, nalt, cur, 0);
		} else {
			break;
		}
		k++;
	}
	if (alts)
		al_pin(m, alts, nalt, *p, base);
	*p = cur;
	if (content)
		*content = base;
	return matched < k ? matched : k < nconts ? k : nconts;
}

static size_t al_continue(struct aln *a, struct al_stop *alts)
{
	size_t nalt = 0;
	md_prefix(a->m, a->conts, a->nconts, 0, &a->cur, NULL, alts, &nalt);
	return nalt;
}

/*
 * The entity at b[p] ('&'), decoded into out: the number of source bytes
 * after the '&' it takes, 0 when none starts there (a plain '&').
 */
static size_t md_entity_at(const struct md *m, size_t p, cmark_strbuf *out)
{
	cmark_strbuf_clear(out);
	return (size_t)houdini_unescape_ent(out, (const uint8_t *)m->b + p + 1, (bufsize_t)(m->len - p - 1));
}

/* Are s[0..k) all spaces? */
static int md_spaces(const char *s, size_t k)
{
	for (size_t i = 0; i < k; i++)
		if (s[i] != ' ')
			return 0;
	return 1;
}

/*
 * Does the source at p go on as lit[0..n) does?  Up to 32 bytes (and to
 * the end of a blank run there: the stops in a long run differ only in
 * how many blanks the text keeps), up to an escape or entity (decided
 * when the literal is matched) or a line break.  ent: the literal may
 * hold an entity decoded; 0 for one that holds it as written only (raw
 * HTML: "&AMP;" there is not the '&' it decodes to, al_literal's AL_NO_ENT).
 */
static int al_fits(const struct aln *a, const char *lit, size_t n, size_t p, int cols, int ent)
{
	const struct md *m = a->m;
	if (cols > 0) {         /* a stop inside a tab (al_continue): the literal goes on with cols spaces */
		if (p >= m->len || m->b[p] != '\t' || n < (size_t)cols || !md_spaces(lit, (size_t)cols))
			return 0;
		lit += cols;
		n -= (size_t)cols;
		p++;
	}
	for (size_t i = 0; i < n && (i < 32 || md_blank(lit[i])) && lit[i] != '\n'; i++, p++) {
		if (p >= m->len)
			return 0;
		if (m->b[p] == '&' && ent) {
			/* an entity fits when the literal holds it decoded, or as written
			   (a text node may be a bare URL's, whose entities are not decoded) */
			cmark_strbuf dec;
			size_t k, d;
			int fits;
			cmark_strbuf_init(&md_mem, &dec, 8);
			k = md_entity_at(m, p, &dec);
			d = (size_t)dec.size < n - i ? (size_t)dec.size : n - i;
			/*
			 * And the literal goes on after it: a blank the text kept
			 * before "&#x20;" on a lazy line fits only at the blank,
			 * not at the entity (both give the literal's first blank).
			 */
			if (k > 0 && d > 0 && memcmp(lit + i, dec.ptr, d) == 0)
				fits = d == (size_t)dec.size ? 1 : 2;
			else if (k > 0 && memcmp(lit + i, m->b + p, k + 1 < n - i ? k + 1 : n - i) == 0)
				fits = k + 1 < n - i ? 3 : 2;
			else
				fits = 0;
			cmark_strbuf_free(&dec);
			if (k > 0 && fits != 1 && fits != 3)
				return fits != 0;       /* no fit, or the literal ends inside the entity */
			if (k > 0) {
				/* the loop's increments step past the entity's last byte */
				i += fits == 1 ? d - 1 : k;
				p += k;
				continue;
			}
			/* else a plain '&' */
		} else if (m->b[p] == '\\') {
			/* a backslash in the literal: itself (raw HTML's "\\-->" on a
			   continuation line), or an escaped one (decided when matched) */
			if (lit[i] == '\\')
				return 1;
			/* first: an escape of the literal's first byte (only punctuation is
			   escaped: "\\ " is a backslash and a blank) */
			if (i == 0)
				return p + 1 < m->len && md_punct(m->b[p + 1]) && m->b[p + 1] == lit[0];
			/* else an escape of the literal's byte */
			if (p + 1 >= m->len || !md_punct(m->b[p + 1]) || m->b[p + 1] != lit[i])
				return 0;
			p++;
			continue;
		}
		if (m->b[p] != lit[i])
			return 0;
	}
	return 1;
}

/*
 * Could node n's source start at b[p] (cols > 0: inside the tab there,
 * al_continue)?  The first bytes only: enough to choose between candidates.
 */
static int al_starts(const struct aln *a, cmark_node *n, size_t p, int cols)
{
	const struct md *m = a->m;
	const char *lit;
	char c;
	if (!n)
		return 1;
	if (p >= m->len)
		return 0;
	c = m->b[p];
	if (cols > 0 && cmark_node_get_type(n) != CMARK_NODE_TEXT)
		return 0;       /* only a text starts with blanks */
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_TEXT:
		lit = cmark_node_get_literal(n);
		return !lit || al_fits(a, lit, strlen(lit), p, cols, 1);
	case CMARK_NODE_CODE:
		return c == '`';
	case CMARK_NODE_HTML_INLINE:
		return c == '<';
	case CMARK_NODE_EMPH:
	case CMARK_NODE_STRONG:
		return c == '*' || c == '_';
	case CMARK_NODE_LINK:
		if (c == '[' || c == '<')
			return 1;
		return al_starts(a, cmark_node_first_child(n), p, 0);
	case CMARK_NODE_IMAGE:
		return c == '!';
	case CMARK_NODE_FOOTNOTE_REFERENCE:
		return c == '[';
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK:
		return md_blank(c) || md_eol(m, p) || c == '\\';
	default:
		if (md_is_ext(n, "strikethrough"))
			return c == '~';
		return 1;
	}
}

/*
 * At the start of a line inside the block: past its container prefix and
 * blanks (al_continue), or at the latest shorter stop where next can
 * start when it cannot start there (a lazy line keeps its '>' or blanks).
 */
static void al_line_start(struct aln *a, cmark_node *next)
{
	struct al_stop alts[MD_ALTS];
	size_t nalt = al_continue(a, alts);
	a->tab_cols = 0;
	if (next && !al_starts(a, next, a->cur, 0))
		while (nalt > 0) {
			struct al_stop s = alts[--nalt];
			if ((s.at != a->cur || s.cols > 0) && al_starts(a, next, s.at, s.cols)) {
				a->cur = s.at;
				a->tab_cols = s.cols;
				break;
			}
		}
}

/* A line ending inside the block, then the continuation; next is the node that must start there. */
static int al_newline(struct aln *a, cmark_node *next)
{
	size_t e = md_eol(a->m, a->cur);
	if (!e)
		return -1;
	a->cur += e;
	al_line_start(a, next);
	return 0;
}

enum { AL_NO_ESC = 1, AL_NO_ENT = 2, AL_RAW = AL_NO_ESC | AL_NO_ENT };

/*
 * Match literal lit[0..n) against the source at the cursor.  raw: what
 * the parser did not decode in it: AL_NO_ESC (backslash escapes: an
 * autolink's text) and AL_NO_ENT (entities: raw HTML, a bare URL's text).  A line ending
 * in the literal is a line ending plus a continuation in the source.
 */
static void al_literal(struct aln *a, const char *lit, size_t n, int raw)
{
	int esc = !(raw & AL_NO_ESC), ent = !(raw & AL_NO_ENT);
	struct md *m = a->m;
	size_t li = 0;
	size_t fails = 0;
	while (li < n) {
		size_t run = 0, c0 = a->cur;
		if (a->tab_cols > 0) {
			size_t k = (size_t)a->tab_cols;
			a->tab_cols = 0;
			if (c0 < m->len && m->b[c0] == '\t' && n - li >= k && md_spaces(lit + li, k)) {
				/* the rest of a tab a container took part of: the text keeps the tab */
				al_put(a, m->b + c0, 1, c0);
				li += k;
				a->cur++;
				continue;
			}
		}
		/* the plain run: bytes equal on both sides, no escape or entity in the source */
		while (li + run < n && c0 + run < m->len) {
			char s = m->b[c0 + run], l = lit[li + run];
			if (s != l || l == '\n' || (esc && s == '\\') || (ent && s == '&'))
				break;
			if (a->unpiped && s == '\\' && c0 + run + 1 < m->len && m->b[c0 + run + 1] == '|')
				break;
			run++;
		}
		if (run) {
			al_put(a, lit + li, run, c0);
			li += run;
			a->cur += run;
			continue;
		}
		if (a->cur >= m->len)
			goto fail;
		{
			char s = m->b[a->cur], l = lit[li];
			if (ent && s == '&') {
				bufsize_t k;
				cmark_strbuf_clear(&m->ent);
				k = houdini_unescape_ent(&m->ent, (const uint8_t *)m->b + a->cur + 1,
							 (bufsize_t)(m->len - a->cur - 1));
				if (k > 0 && (size_t)m->ent.size <= n - li &&
				    memcmp(lit + li, m->ent.ptr, (size_t)m->ent.size) == 0) {
					al_put(a, lit + li, (size_t)m->ent.size, a->cur);
					li += (size_t)m->ent.size;
					a->cur += 1 + (size_t)k;
					continue;
				}
			}
			if (a->unpiped && s == '\\' && l == '|') {
				/*
				 * The source's "\\|" is a '|' to the inline parser, and
				 * "\\\\|" a backslash escaping that '|' (outside raw HTML).
				 */
				size_t k = a->cur + 1;
				if (esc && k + 1 < m->len && m->b[k] == '\\')
					k++;
				if (k < m->len && m->b[k] == '|') {
					al_put(a, "|", 1, a->cur);
					li++;
					a->cur = k + 1;
					continue;
				}
			}
			if (l == '\n') {
				struct al_stop alts[MD_ALTS];
				size_t save = a->cur, nalt, e;
				al_blanks(a);
				if ((e = md_eol(m, a->cur)) == 0) {
					a->cur = save;
					goto fail;
				}
				a->cur += e;
				/* the prefix stop where the rest of the literal goes on (a lazy line keeps its blanks) */
				nalt = al_continue(a, alts);
				while (nalt > 0 && !al_fits(a, lit + li + 1, n - li - 1, a->cur, a->tab_cols, ent)) {
					nalt--;
					a->cur = alts[nalt].at;
					a->tab_cols = alts[nalt].cols;
				}
				if (a->emit && !a->skip)
					dtext_put(&m->tb, "\n", 1, save);
				li++;
				continue;
			}
			if (esc && s == '\\' && a->cur + 1 < m->len && md_punct(m->b[a->cur + 1]) &&
			    m->b[a->cur + 1] == l) {
				al_put(a, lit + li, 1, a->cur);
				li++;
				a->cur += 2;
				continue;
			}
			if (s == l) {   /* a backslash or '&' that is only itself */
				al_put(a, lit + li, 1, a->cur);
				li++;
				a->cur++;
				continue;
			}
		}
fail:
		al_fail(a);
		if (!a->emit)
			return;
		if (++fails > 16) {
			/* hostile input: stop searching, keep the rest of the text here */
			al_rest(a, lit + li, n - li);
			return;
		}
		{
			/* resynchronize on the rest of the literal within the block; else keep the text here */
			size_t want = n - li < 8 ? n - li : 8;
			const char *hit = a->cur < a->win ?
				doc_find(m->b + a->cur, a->win - a->cur, lit + li, want) : NULL;
			if (hit && memchr(lit + li, '\n', want) == NULL) {
				a->cur = (size_t)(hit - m->b);
				continue;
			}
			al_rest(a, lit + li, n - li);
			return;
		}
	}
}

/* A run of delimiter characters: count of them (1 or 2), all equal to one of set. */
static void al_delims(struct aln *a, const char *set, size_t count)
{
	struct md *m = a->m;
	char c = a->cur < m->len ? m->b[a->cur] : 0;
	size_t i;
	if (!c || !strchr(set, c)) {
		al_fail(a);
		return;
	}
	for (i = 0; i < count; i++) {
		if (a->cur >= m->len || m->b[a->cur] != c) {
			al_fail(a);
			return;
		}
		a->cur++;
	}
}

/* A strikethrough run: one or two '~'. */
static void al_tildes(struct aln *a)
{
	size_t n = 0;
	while (a->cur + n < a->m->len && a->m->b[a->cur + n] == '~')
		n++;
	if (n == 0 || n > 2) {
		al_fail(a);
		return;
	}
	a->cur += n;
}

/* A code span: a backtick run, then the next run of the same length. */
static void al_code(struct aln *a)
{
	struct md *m = a->m;
	size_t n = 0, p, start = a->cur;
	while (a->cur + n < a->lim && m->b[a->cur + n] == '`')
		n++;
	if (n == 0) {
		al_fail(a);
		return;
	}
	p = a->cur + n;
	while (p < a->lim) {
		size_t r = 0;
		const char *bt = memchr(m->b + p, '`', a->lim - p);
		if (!bt)
			break;
		p = (size_t)(bt - m->b);
		while (p + r < a->lim && m->b[p + r] == '`')
			r++;
		if (r == n) {
			a->cur = p + r;
			if (a->emit && !a->skip)
				dtext_gap(&m->tb, start);
			return;
		}
		p += r;
	}
	al_fail(a);
}

/* cmark's whitespace: blanks, line endings, vertical tab, form feed. */
static int md_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * Whitespace inside a link's parentheses, as cmark-gfm's scan_spacechars
 * skips it; after a line ending, the next line's container prefix too.
 */
static size_t al_link_space(const struct aln *a, size_t p)
{
	const struct md *m = a->m;
	while (p < a->lim && md_space(m->b[p])) {
		size_t e = md_eol(m, p);
		if (!e) {
			p++;
			continue;
		}
		p += e;
		if (p < a->lim)
			md_prefix(m, a->conts, a->nconts, 0, &p, NULL, NULL, NULL);
	}
	return p < a->lim ? p : a->lim;
}

/*
 * The end of an inline link's "(destination "title")" at p, or 0 when it
 * is not one: cmark-gfm 0.29's rules (manual_scan_link_url, its title
 * scanner), so the aligner agrees with the parser on what a link took.
 */
static size_t al_inline_tail(const struct aln *a, size_t p)
{
	const struct md *m = a->m;
	size_t q, t;
	if (p >= a->lim || m->b[p] != '(')
		return 0;
	p = al_link_space(a, p + 1);
	if (p < a->lim && m->b[p] == '<') {
		for (p++;; p++) {
			if (p >= a->lim)
				return 0;
			if (m->b[p] == '>') {
				p++;
				break;
			}
			if (m->b[p] == '\\')
				p++;
			else if (m->b[p] == '\n' || m->b[p] == '<')
				return 0;
		}
		if (p >= a->lim)
			return 0;
	} else {
		int depth = 0;
		while (p < a->lim) {
			char c = m->b[p];
			if (c == '\\' && p + 1 < a->lim && md_punct(m->b[p + 1])) {
				p += 2;
				continue;
			}
			if (c == '(') {
				if (++depth > 32)
					return 0;
			} else if (c == ')') {
				if (depth == 0)
					break;
				depth--;
			} else if (c == ' ' || c == '\t' || md_eol(m, p))
				break;  /* cmark_isspace: a form feed or vertical tab is part of the destination */
			p++;
		}
		if (p >= a->lim)
			return 0;
	}
	q = al_link_space(a, p);
	t = q;
	if (q > p && q < a->lim && (m->b[q] == '"' || m->b[q] == '\'' || m->b[q] == '(')) {
		/*
		 * The title scanner takes the longest match, and a backslash may
		 * be a character of its own: a closing mark after a backslash
		 * may close the title or be part of it, whichever goes further.
		 */
		char open = m->b[q], close = open == '(' ? ')' : open;
		size_t end = q;         /* no title: what follows must be the ')' */
		for (t = q + 1; t < a->lim; t++) {
			int after_backslash = t - 1 > q && m->b[t - 1] == '\\';
			if (m->b[t] == close) {
				end = t + 1;
				if (!after_backslash)
					break;
			} else if (open == '(' && m->b[t] == '(' && !after_backslash)
				break;
		}
		t = end;
	}
	p = al_link_space(a, t);
	if (p >= a->lim || m->b[p] != ')')
		return 0;
	return p + 1;
}

/* The end of a reference label "[...]" at p (also "[]"), or 0. */
static size_t al_label(const struct aln *a, size_t p)
{
	const struct md *m = a->m;
	size_t start = p;
	if (p >= a->lim || m->b[p] != '[')
		return 0;
	for (p++; p < a->lim && m->b[p] != ']'; p++) {
		if (m->b[p] == '\\' && p + 1 < a->lim && md_punct(m->b[p + 1]))
			p++;
		else if (m->b[p] == '[' || p - start > 1000)
			return 0;
	}
	return p < a->lim ? p + 1 : 0;
}

/* After a link's or image's ']': its destination or reference, whichever lets next start. */
static void al_link_tail(struct aln *a, cmark_node *next)
{
	size_t cand[3], nc = 0, i, e;
	if ((e = al_inline_tail(a, a->cur)) != 0)
		cand[nc++] = e;
	if ((e = al_label(a, a->cur)) != 0)
		cand[nc++] = e;
	cand[nc++] = a->cur;
	for (i = 0; i < nc; i++)
		if (al_starts(a, next, cand[i], 0)) {
			a->cur = cand[i];
			return;
		}
	a->cur = cand[0];
}

static void al_expect(struct aln *a, char c)
{
	if (a->cur < a->m->len && a->m->b[a->cur] == c)
		a->cur++;
	else
		al_fail(a);
}

/* A text node inside an e-mail autolink the extension made from decoded text. */
static int md_bare_email(cmark_node *text)
{
	cmark_node *link = cmark_node_parent(text);
	const char *url = link ? cmark_node_get_url(link) : NULL;
	return url && strncmp(url, "mailto:", 7) == 0;
}

static void al_enter(struct aln *a, cmark_node *n)
{
	struct md *m = a->m;
	cmark_node_type t = cmark_node_get_type(n);
	const char *lit;
	switch (t) {
	case CMARK_NODE_TEXT:
		lit = cmark_node_get_literal(n);
		if (lit)
			/* an autolink's text is its source: <...> decodes entities only, a bare URL
			   nothing; but a bare e-mail address is found after inline parsing, in text
			   already decoded, so its source may hold escapes and entities (a\@b.c) */
			al_literal(a, lit, strlen(lit),
				   a->autolink == LINK_BARE && !md_bare_email(n) ? AL_RAW :
				   a->autolink == LINK_ANGLE ? AL_NO_ESC : 0);
		return;
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK: {
		size_t at;
		al_blanks(a);
		if (t == CMARK_NODE_LINEBREAK && a->cur < m->len && m->b[a->cur] == '\\')
			a->cur++;
		at = a->cur;
		if (al_newline(a, cmark_node_next(n)) < 0) {
			al_fail(a);
			return;
		}
		al_put(a, " ", 1, at);
		return;
	}
	case CMARK_NODE_CODE:
		al_code(a);
		return;
	case CMARK_NODE_HTML_INLINE: {
		/* raw HTML is not prose; a lossc comment goes into the text for dtext_finish */
		const char *body;
		size_t blen, n0 = 0;
		lit = cmark_node_get_literal(n);
		if (lit)
			n0 = strlen(lit);
		if (lit && doc_comment_directive(lit, n0, &body, &blen) == n0) {
			al_literal(a, lit, n0, AL_RAW);
		} else if (lit) {
			int e = a->emit;
			a->emit = 0;
			al_literal(a, lit, n0, AL_RAW);
			a->emit = e;
		}
		return;
	}
	case CMARK_NODE_EMPH:
		al_delims(a, "*_", 1);
		return;
	case CMARK_NODE_STRONG:
		al_delims(a, "*_", 2);
		return;
	case CMARK_NODE_LINK: {
		size_t at = a->cur;
		char c = at < m->len ? m->b[at] : 0;
		int kind = c == '[' ? LINK_BRACKET : c == '<' ? LINK_ANGLE : LINK_BARE;
		cmark_node_set_user_data(n, (void *)(uintptr_t)kind);
		if (kind != LINK_BARE)
			a->cur++;
		if (kind != LINK_BRACKET) {
			if (a->emit && !a->skip)
				dtext_gap(&m->tb, at);
			a->skip++;
			a->autolink = kind;
		}
		return;
	}
	case CMARK_NODE_IMAGE:
		al_expect(a, '!');
		al_expect(a, '[');
		return;
	case CMARK_NODE_FOOTNOTE_REFERENCE: {
		size_t e = al_label(a, a->cur);
		if (e && a->cur + 1 < m->len && m->b[a->cur + 1] == '^')
			a->cur = e;
		else
			al_fail(a);
		return;
	}
	default:
		if (md_is_ext(n, "strikethrough"))
			al_tildes(a);
		else
			al_fail(a);     /* an inline this reader does not know */
		return;
	}
}

static void al_exit(struct aln *a, cmark_node *n)
{
	cmark_node_type t = cmark_node_get_type(n);
	switch (t) {
	case CMARK_NODE_EMPH:
		al_delims(a, "*_", 1);
		return;
	case CMARK_NODE_STRONG:
		al_delims(a, "*_", 2);
		return;
	case CMARK_NODE_LINK:
		switch ((int)(uintptr_t)cmark_node_get_user_data(n)) {
		case LINK_BRACKET:
			al_expect(a, ']');
			al_link_tail(a, cmark_node_next(n));
			break;
		case LINK_ANGLE:
			al_expect(a, '>');
			a->skip--;
			a->autolink = 0;
			break;
		default:
			a->skip--;
			a->autolink = 0;
			break;
		}
		return;
	case CMARK_NODE_IMAGE:
		al_expect(a, ']');
		al_link_tail(a, cmark_node_next(n));
		return;
	default:
		if (md_is_ext(n, "strikethrough"))
			al_tildes(a);
		return;
	}
}

/* Align the inline children of leaf from the cursor. */
static void al_inlines(struct aln *a, cmark_node *leaf)
{
	cmark_node *n = cmark_node_first_child(leaf);
	while (n) {
		cmark_node *c;
		al_enter(a, n);
		if ((c = cmark_node_first_child(n)) != NULL) {
			n = c;
			continue;
		}
		for (;;) {
			al_exit(a, n);
			if (cmark_node_next(n)) {
				n = cmark_node_next(n);
				break;
			}
			n = cmark_node_parent(n);
			if (n == leaf || !n) {
				n = NULL;
				break;
			}
		}
	}
}

static int md_quotes(cmark_node *n)
{
	int q = 0;
	for (n = cmark_node_parent(n); n; n = cmark_node_parent(n))
		if (cmark_node_get_type(n) == CMARK_NODE_BLOCK_QUOTE)
			q++;
	return q;
}

static int md_in_list(cmark_node *n)
{
	for (n = cmark_node_parent(n); n; n = cmark_node_parent(n))
		if (cmark_node_get_type(n) == CMARK_NODE_ITEM)
			return 1;
	return 0;
}

/* ---- the containers around a block -------------------------------------- */

static int md_type_is(cmark_node *n, cmark_node_type t)
{
	return n && cmark_node_get_type(n) == t;
}

/*
 * The block holding n in the source: its parent, but for a footnote
 * definition, which cmark-gfm moves to the end of the document, the block
 * quote or list item it was written in (md_fn_homes), if any.
 */
static cmark_node *md_up(cmark_node *n)
{
	const struct md_fn_home *h = md_type_is(n, CMARK_NODE_FOOTNOTE_DEFINITION) ? cmark_node_get_user_data(n) : NULL;
	return h && h->home ? h->home : cmark_node_parent(n);
}

/* The column of offset p on the parser's line l: tabs stop every 4, other bytes count one each (as cmark-gfm counts). */
static size_t md_col(const struct md *m, size_t l, size_t p)
{
	size_t col = 0;
	for (size_t q = md_line_start(m, l); q < p && q < m->len; q++)
		col = m->b[q] == '\t' ? col + 4 - col % 4 : col + 1;
	return col;
}

/*
 * Where the content of a list item starts on its first line: its marker
 * ('-', '+', '*', or 1-9 digits and '.' or ')'), then CommonMark's padding:
 * the blank columns after the marker, or one when they are 5 or more (the
 * content is indented code) or when nothing follows them.  The column in
 * *content, the marker's in *marker; -1 when the item's start holds no
 * marker (a position this reader does not understand).
 */
static int md_item_content(const struct md *m, cmark_node *item, size_t *marker, size_t *content)
{
	int l = cmark_node_get_start_line(item);
	size_t p, q, w = 0, col, blank;
	if (l < 1 || (size_t)l > m->nlines || cmark_node_get_start_column(item) < 1)
		return -1;
	p = md_off(m, l, cmark_node_get_start_column(item));
	if (p >= m->len)
		return -1;
	if (m->b[p] == '-' || m->b[p] == '+' || m->b[p] == '*') {
		w = 1;
	} else {
		while (w < 9 && p + w < m->len && isdigit((unsigned char)m->b[p + w]))
			w++;
		if (w == 0 || p + w >= m->len || (m->b[p + w] != '.' && m->b[p + w] != ')'))
			return -1;
		w++;
	}
	*marker = md_col(m, (size_t)l, p);
	col = *marker + w;
	for (q = p + w; q < m->len && md_blank(m->b[q]); q++)
		col = m->b[q] == '\t' ? col + 4 - col % 4 : col + 1;
	blank = col - (*marker + w);
	if (blank < 1 || blank >= 5 || q >= m->len || md_eol(m, q))
		blank = 1;
	*content = *marker + w + blank;
	return 0;
}

/*
 * The width of list item `item` (md_conts): the columns a continuation
 * line must be indented past the content of the containers outside it,
 * outer[0..nouter) (outermost first): its marker's indent past that
 * content on its first line, plus the marker and its padding.  That
 * content is where the item's container (the list's parent) puts it on
 * the item's line: after the prefix of the containers outside, or, when
 * that container opened on the same line, after its own marker.  The
 * width is kept in the item's user data (each item is measured once).
 * -1 when not known.
 */
static int md_item_width(const struct md *m, cmark_node *item, const int *outer, size_t nouter)
{
	cmark_node *list = cmark_node_parent(item), *box = list ? md_up(list) : NULL;
	uintptr_t kept = (uintptr_t)cmark_node_get_user_data(item);
	size_t marker, content, inner, l, p;
	int w;
	if (kept)
		return (int)kept - 2;
	l = (size_t)cmark_node_get_start_line(item);
	if (!box || md_item_content(m, item, &marker, &content) != 0) {
		w = -1;
	} else if (cmark_node_get_type(box) == CMARK_NODE_DOCUMENT) {
		w = (int)content;
	} else if ((size_t)cmark_node_get_start_line(box) != l) {
		/* the containers outside all match on the line where the item opens */
		p = md_line_start(m, l);
		w = md_prefix(m, outer, nouter, 0, &p, &inner, NULL, NULL) == nouter && inner <= marker ?
		    (int)(content - inner) : -1;
	} else if (cmark_node_get_type(box) == CMARK_NODE_ITEM) {
		size_t bm;
		w = md_item_content(m, box, &bm, &inner) == 0 && inner <= marker ? (int)(content - inner) : -1;
	} else if (cmark_node_get_type(box) == CMARK_NODE_BLOCK_QUOTE) {
		/* its '>' and one column of blank after it */
		p = md_off(m, (int)l, cmark_node_get_start_column(box));
		inner = md_col(m, l, p) + 1;
		if (p + 1 < m->len && md_blank(m->b[p + 1]))
			inner++;
		w = p < m->len && m->b[p] == '>' && inner <= marker ? (int)(content - inner) : -1;
	} else {
		/* a footnote definition: its content starts at its position's column */
		inner = md_col(m, l, md_off(m, (int)l, cmark_node_get_start_column(box)));
		w = inner <= marker ? (int)(content - inner) : -1;
	}
	cmark_node_set_user_data(item, (void *)(uintptr_t)(w + 2));
	return w;
}

/* A block whose continuation lines carry a prefix (lists take none of their own). */
static int md_is_container(cmark_node *n)
{
	return md_type_is(n, CMARK_NODE_BLOCK_QUOTE) || md_type_is(n, CMARK_NODE_ITEM) ||
	       md_type_is(n, CMARK_NODE_FOOTNOTE_DEFINITION);
}

/* The entries container p adds to md_conts: a definition's are its lost ones and its own. */
static size_t md_cont_entries(cmark_node *p)
{
	const struct md_fn_home *h;
	if (!md_is_container(p))
		return 0;
	if (!md_type_is(p, CMARK_NODE_FOOTNOTE_DEFINITION))
		return 1;
	h = cmark_node_get_user_data(p);
	return 1 + (h ? h->nlost : 0);
}

/*
 * The containers around node n whose prefixes a continuation line of n
 * must carry, outermost first (md_prefix): 0 for a block quote, a list
 * item's width (md_item_width), 4 for a footnote definition (cmark-gfm
 * takes 4 columns of indent for one), after those of the containers it
 * was written in that cmark-gfm lost (md_fn_lost).  Returns an array of *count (NULL when
 * none) for the caller to free.
 */
static int *md_conts(const struct md *m, cmark_node *n, size_t *count)
{
	size_t k = 0, nbox = 0, i, j;
	cmark_node *p, **box;
	int *c;
	for (p = md_up(n); p; p = md_up(p)) {
		nbox += (size_t)md_is_container(p);
		k += md_cont_entries(p);
	}
	*count = k;
	if (k == 0)
		return NULL;
	c = xmalloc(k * sizeof *c);
	box = xmalloc(nbox * sizeof *box);
	i = nbox;
	for (p = md_up(n); p; p = md_up(p))
		if (md_is_container(p))
			box[--i] = p;
	/* outermost first: an item's width needs those of the containers outside it */
	for (i = j = 0; i < nbox; i++) {
		if (md_type_is(box[i], CMARK_NODE_BLOCK_QUOTE)) {
			c[j++] = 0;
		} else if (md_type_is(box[i], CMARK_NODE_FOOTNOTE_DEFINITION)) {
			const struct md_fn_home *h = cmark_node_get_user_data(box[i]);
			for (size_t e = 0; h && e < h->nlost; e++)
				c[j++] = h->lost[e];
			c[j++] = 4;
		} else {
			c[j] = md_item_width(m, box[i], c, j);
			j++;
		}
	}
	free(box);
	return c;
}

static void md_count(struct md *m, size_t fail)
{
	if (m->stats)
		m->stats->misaligned += fail;
}

static void md_unhide_carets(struct md *m);

static void md_finish_text(struct md *m, size_t start, size_t end)
{
	md_unhide_carets(m);
	unsigned long first = md_line(m, start), last = md_line(m, end > start ? end - 1 : start);
	dtext_finish(&m->tb, &m->tmp, &m->math, m->sink, first, last);
}

/*
 * Is the line at p, past its container prefix (md_prefix over the chain
 * conts[0..n), and the '>' markers of block quotes opening there), made
 * only of c (c == 0: of nothing) and blanks after it, c indented less
 * than 4 columns?  A '>' indented 4 columns or more is no marker: "e",
 * then a tab and '>' is one paragraph.
 */
static int md_line_only(const struct md *m, const int *conts, size_t n, size_t p, char c)
{
	size_t content = 0;
	md_prefix(m, conts, n, 1, &p, &content, NULL, NULL);
	if (c && (p >= m->len || m->b[p] != c))
		return 0;
	/* an underline indented 4 columns or more is the heading's text ("\t-") */
	if (c && md_col(m, md_line_of(m, p), p) >= content + 4)
		return 0;
	while (c && p < m->len && m->b[p] == c)
		p++;
	while (p < m->len && md_blank(m->b[p]))
		p++;
	return p >= m->len || md_eol(m, p);
}

/*
 * Where the text of the leaf starting at p certainly ends, for the scans
 * that run ahead (a link's title may hold line endings): an ATX heading
 * is its one line; a setext heading's text ends at its underline, the
 * first later line of only '=' or only '-'; no paragraph holds a line that
 * is blank once its container prefix is taken off (md_line_only).  The parser's end positions
 * are not used: a setext heading's may run into the block after it.  The scan
 * looks at lines before bound only, and bound is the end when none ends the text.
 */
static size_t md_text_lim(const struct md *m, const struct aln *a, cmark_node *leaf, size_t p, int atx,
			  size_t bound)
{
	int setext = !atx && cmark_node_get_type(leaf) == CMARK_NODE_HEADING;
	if (atx) {
		while (p < m->len && !md_eol(m, p))
			p++;
		return p;
	}
	for (p = md_after_line(m, p); p < bound; p = md_after_line(m, p))
		if (setext ? md_line_only(m, a->conts, a->nconts, p, '=') || md_line_only(m, a->conts, a->nconts, p, '-') :
			     md_line_only(m, a->conts, a->nconts, p, 0))
			return p;
	return bound;
}

/*
 * md_text_lim for a paragraph or heading whose text starts at p; a
 * paragraph's also ends at its last line, where a block that interrupts
 * it (an HTML block, a fence, a heading) ends it before any blank line:
 * "[](y \"\\\")-", a line ending and "<!--\"" is a link whose title is
 * "\\", not one running into the comment.  A paragraph's last line, unlike
 * a setext heading's, is the parser's, and the scan stops there: were it to
 * go on to the document's end, every paragraph of a document without blank
 * lines would scan all the lines after it, each through its whole container
 * prefix (a list nested 3000 deep, 9 MB: 48 s, cubic in the depth).
 */
static size_t md_leaf_lim(const struct md *m, const struct aln *a, cmark_node *leaf, size_t p, int atx)
{
	size_t bound = m->len;
	if (cmark_node_get_type(leaf) == CMARK_NODE_PARAGRAPH && cmark_node_get_end_line(leaf) >= 1) {
		size_t last = md_after_line(m, md_off(m, cmark_node_get_end_line(leaf), 1));
		if (last > p && last < bound)
			bound = last;
	}
	return md_text_lim(m, a, leaf, p, atx, bound);
}

static void md_leaf(struct md *m, cmark_node *leaf)
{
	struct aln a;
	int *conts;
	size_t start = md_start(m, leaf);
	size_t end = md_block_end(m, leaf, start);
	cmark_node_type lt = cmark_node_get_type(leaf);
	int atx = 0;
	memset(&a, 0, sizeof a);
	a.m = m;
	a.quotes = md_quotes(leaf);
	a.in_list = md_in_list(leaf);
	a.conts = conts = md_conts(m, leaf, &a.nconts);
	a.lim = m->len;
	a.unpiped = cmark_node_get_start_line(leaf) < 1 && cmark_node_next(leaf) &&
		    md_is_ext(cmark_node_next(leaf), "table");
	a.win = end;
	a.cur = start;
	al_blanks(&a);
	if (lt == CMARK_NODE_HEADING && a.cur < m->len && m->b[a.cur] == '#') {
		size_t h = 0;
		while (a.cur + h < m->len && m->b[a.cur + h] == '#')
			h++;
		if (h <= 6 && (a.cur + h >= m->len || md_blank(m->b[a.cur + h]) || md_eol(m, a.cur + h))) {
			a.cur += h;
			al_blanks(&a);
			atx = 1;
		}
	}
	if (lt == CMARK_NODE_PARAGRAPH || lt == CMARK_NODE_HEADING)
		a.lim = md_leaf_lim(m, &a, leaf, a.cur, atx);
	start = a.text_start = a.cur;
	dtext_reset(&m->tb);
	a.emit = 1;
	al_inlines(&a, leaf);
	if (a.fail && (lt == CMARK_NODE_PARAGRAPH || lt == CMARK_NODE_HEADING) && start < m->len && m->b[start] == '[') {
		/*
		 * Link reference definitions at the start of a paragraph (or
		 * setext heading) are gone from the tree, and shift its
		 * positions: the text starts on a later line of the block (a
		 * lazy one keeps its blanks).  Find the first one from which
		 * every node aligns.
		 */
		int l0 = cmark_node_get_start_line(leaf), l1 = cmark_node_get_end_line(leaf), l;
		if (l0 < 1 && end > start) {
			/* the paragraph a table interrupts has no position (md_start): its lines run to the header's */
			l0 = (int)md_line_of(m, start);
			l1 = (int)md_line_of(m, end - 1);
		}
		size_t from;
		int from_cols;
		for (l = l0 + 1; l <= l1 && l - l0 <= 1000; l++) {
			struct aln d = a;
			d.cur = md_off(m, l, 1);
			al_line_start(&d, cmark_node_first_child(leaf));
			/* the underline is the first after the text's own first line */
			d.lim = md_leaf_lim(m, &d, leaf, d.cur, atx);
			from = d.text_start = d.cur;
			from_cols = d.tab_cols;
			d.emit = 0;
			d.fail = 0;
			d.skip = d.autolink = 0;
			al_inlines(&d, leaf);
			if (d.fail == 0) {
				dtext_reset(&m->tb);
				a.cur = start = a.text_start = from;
				a.lim = d.lim;
				a.tab_cols = from_cols;
				a.fail = 0;
				a.skip = a.autolink = 0;
				al_inlines(&a, leaf);
				break;
			}
		}
	}
	md_count(m, a.fail);
	free(conts);
	if (a.cur > end)
		end = a.cur;
	md_finish_text(m, start, end > start ? end : start + 1);
	if (md_after_line(m, a.cur) > m->floor)
		m->floor = md_after_line(m, a.cur);
}

/*
 * Where a table row's content starts on a line that is not the first of
 * its container: after blanks and the block quotes' markers.
 */
static size_t md_row_content(const struct md *m, size_t l, int quotes)
{
	size_t p = md_line_start(m, l);
	while (p < m->len && md_blank(m->b[p]))
		p++;
	for (int q = 0; q < quotes && p < m->len && m->b[p] == '>'; q++) {
		p++;
		while (p < m->len && md_blank(m->b[p]))
			p++;
	}
	return p;
}

/* Is the row at p a table's delimiter row ("| --- | :-: |")? */
static int md_delim_row(const struct md *m, size_t p)
{
	int dash = 0;
	for (; p < m->len && !md_eol(m, p); p++) {
		char c = m->b[p];
		if (c == '-')
			dash = 1;
		else if (c != '|' && c != ':' && !md_hspace(c))
			return 0;
	}
	return dash;
}

/*
 * The cells of the row at p as GFM splits a row: at each '|' with no
 * backslash just before it (its cell scanner reads "\\|" as a backslash
 * and an escaped pipe, not as an escaped backslash and a pipe), outer
 * pipes dropped.
 */
static size_t md_cells(const struct md *m, size_t p)
{
	size_t e, n = 1;
	for (e = p; e < m->len && !md_eol(m, e); e++)
		;
	while (e > p && md_hspace(m->b[e - 1]))
		e--;
	if (p < e && m->b[p] == '|')
		p++;
	if (e > p && m->b[e - 1] == '|' && !(e - 1 > p && m->b[e - 2] == '\\'))
		e--;
	for (size_t q = p; q < e; q++)
		if (m->b[q] == '|' && !(q > p && m->b[q - 1] == '\\'))
			n++;
	return n;
}

/*
 * Is the row at p, on line l, a table header of ncols cells: itself and
 * the next line (a delimiter row) that wide?
 *
 * The header row is the last line of the paragraph the delimiter row
 * ends, as the paragraph holds it, and a lazy line holds it from where
 * the containers it still matched end: from any place in its prefix,
 * with the blanks and the '>' after it (" ||" is two cells, a blank one
 * and an empty one, where "||" is one; a '>' indented too far is no
 * marker).  So the row is a header when the cells from p, or from any
 * place in the line's prefix, are that many.
 */
static int md_header_at(const struct md *m, size_t l, size_t p, size_t ncols, int quotes)
{
	size_t d, s;
	int q = 0;
	if (l < 1 || l >= m->nlines)
		return 0;
	d = md_row_content(m, l + 1, quotes);
	if (!md_delim_row(m, d) || md_cells(m, d) != ncols)
		return 0;
	if (md_cells(m, p) == ncols)
		return 1;
	/* every place in a blank run but its end counts the same cells as its start */
	for (s = md_line_start(m, l); s < m->len && !md_eol(m, s) && q <= quotes;) {
		if (s != p && md_cells(m, s) == ncols)
			return 1;
		if (md_blank(m->b[s]))
			while (s < m->len && md_blank(m->b[s]))
				s++;
		else if (m->b[s] == '>' && q++ < quotes)
			s++;
		else
			break;
	}
	return 0;
}

/* The first header line from line `from` on (within 100000 lines), or 0. */
static size_t md_header_from(const struct md *m, size_t from, size_t ncols, int quotes)
{
	for (size_t l = from ? from : 1; l < m->nlines && l - from < 100000; l++)
		if (md_header_at(m, l, md_row_content(m, l, quotes), ncols, quotes))
			return l;
	return 0;
}

/*
 * The header line by where the table's rows end: that line less one a
 * body row and one for the delimiter row, if it has the header's shape
 * (0: it has not).  The parser's header position, and the shape alone,
 * can name a line a link reference definition took ("[e]:x", then "-",
 * then "|-": the header is "-", the parser says line 1).
 */
static size_t md_table_rows_header(const struct md *m, cmark_node *table, size_t ncols, int quotes)
{
	cmark_node *row, *header = cmark_node_first_child(table);
	size_t nbody = 0, l;
	int end = cmark_node_get_end_line(table);
	for (row = header ? cmark_node_next(header) : NULL; row; row = cmark_node_next(row))
		nbody++;
	if (end < 1 || (size_t)end <= nbody + 1)
		return 0;
	l = (size_t)end - nbody - 1;
	return md_header_at(m, l, md_row_content(m, l, quotes), ncols, quotes) ? l : 0;
}

/* The header line of table from line `from` on (0: none): by its rows' end, else the first of its shape. */
static size_t md_table_header_line(const struct md *m, cmark_node *table, size_t from)
{
	cmark_node *cell, *header = cmark_node_first_child(table);
	size_t ncols = 0, l;
	if (!header)
		return 0;
	for (cell = cmark_node_first_child(header); cell; cell = cmark_node_next(cell))
		ncols++;
	l = md_table_rows_header(m, table, ncols, md_quotes(table));
	return l >= from && l > 0 ? l : md_header_from(m, from, ncols, md_quotes(table));
}

/*
 * Align the cells of row from the cursor (the row's content) to end, its
 * line's end.  The table extension's scanner takes a '|' with the blanks,
 * form feeds and vertical tabs after it; a cell is then trimmed of blanks
 * only, so a form feed that starts a row without a '|' is text.
 */
static void md_row_cells(struct aln *a, cmark_node *row, size_t end)
{
	struct md *m = a->m;
	cmark_node *cell;
	int piped = 0;
	al_blanks(a);
	if (a->cur < m->len && m->b[a->cur] == '|') {
		a->cur++;
		piped = 1;
	}
	for (cell = cmark_node_first_child(row); cell; cell = cmark_node_next(cell)) {
		size_t cs;
		while (a->cur < m->len && (piped ? md_hspace(m->b[a->cur]) : md_blank(m->b[a->cur])))
			a->cur++;
		cs = a->cur;
		/* the cell ends at a '|' with no backslash before it (md_cells) */
		for (a->lim = cs; a->lim < end; a->lim++)
			if (m->b[a->lim] == '|' && !(a->lim > cs && m->b[a->lim - 1] == '\\'))
				break;
		if (a->emit)
			dtext_reset(&m->tb);
		al_inlines(a, cell);
		if (a->emit)
			md_finish_text(m, cs, a->cur > cs ? a->cur : cs + 1);
		al_blanks(a);
		piped = 0;
		if (a->cur < m->len && m->b[a->cur] == '|') {
			a->cur++;
			piped = 1;
		}
	}
}

/*
 * Where a row's content starts on the line at line_start: after its
 * container prefix (the cursor, md_row_content), or, on a lazy line,
 * at the latest shorter stop from which every cell aligns (a '>' indented
 * too far to be a marker is the first cell's).  A dry run per stop.
 */
static void md_row_start(struct aln *a, cmark_node *row, size_t line_start)
{
	struct al_stop alts[MD_ALTS];
	struct aln d = *a;
	size_t nalt, greedy = a->cur;
	d.emit = 0;
	md_row_cells(&d, row, a->win);
	if (d.fail == 0)
		return;
	d = *a;
	d.cur = line_start;
	nalt = al_continue(&d, alts);
	while (nalt > 0) {
		struct al_stop s = alts[--nalt];
		if (s.cols > 0 || s.at == greedy)
			continue;       /* a cell is trimmed: a stop inside a tab is one before it */
		d = *a;
		d.cur = s.at;
		d.emit = 0;
		md_row_cells(&d, row, a->win);
		if (d.fail == 0) {
			a->cur = s.at;
			return;
		}
	}
}

/*
 * The line of a table's header row (see md_table), in order of trust:
 * the line where the rows end says it is, when that is not the parser's
 * line (the parser then gave the header a definition's line); the
 * parser's line, when it has the header's shape; the first line with
 * that shape from the floor on, then from the parser's line; at last the
 * parser's line as it is.
 */
static size_t md_table_header_pick(const struct md *m, cmark_node *table, cmark_node *header, size_t ncols,
				   int quotes, size_t floor_line)
{
	int rl = cmark_node_get_start_line(header);
	size_t hl = md_table_rows_header(m, table, ncols, quotes);
	if (hl >= floor_line && hl > 0 && hl != (size_t)rl)
		return hl;
	if (rl >= 1 && (size_t)rl >= floor_line &&
	    md_header_at(m, (size_t)rl, md_off(m, rl, cmark_node_get_start_column(header)), ncols, quotes))
		return (size_t)rl;
	if ((hl = md_header_from(m, floor_line, ncols, quotes)) != 0)
		return hl;
	if (rl >= 1 && (hl = md_header_from(m, (size_t)rl, ncols, quotes)) != 0)
		return hl;
	return rl >= 1 ? (size_t)rl : floor_line;
}

/*
 * A table: each row, each cell its own text.
 *
 * The parser's row positions are not trusted: when a table interrupts a
 * paragraph the header row gets the paragraph's first line, and some
 * inputs shift whole tables by many lines.  What is certain is the shape:
 * the header is the line before a delimiter row, both as wide as the
 * table, and the body rows are the lines after the delimiter row.  So the
 * header is the reported line when that shape is there and the line is
 * not before the line after the block read last (m->floor); else the
 * first line with that shape from there on.
 */
static void md_table(struct md *m, cmark_node *table)
{
	cmark_node *row, *cell, *header = cmark_node_first_child(table);
	int quotes = md_quotes(table), *conts;
	size_t ncols = 0, hl, floor_line = md_line_of(m, m->floor), k = 0, nconts;
	int rl;
	if (!header)
		return;
	conts = md_conts(m, table, &nconts);
	for (cell = cmark_node_first_child(header); cell; cell = cmark_node_next(cell))
		ncols++;
	rl = cmark_node_get_start_line(header);
	hl = md_table_header_pick(m, table, header, ncols, quotes, floor_line);
	for (row = header; row; row = cmark_node_next(row), k++) {
		size_t line = hl + (k ? k + 1 : 0), start, end;
		struct aln a;
		int at_parser_col = k == 0 && hl == (size_t)rl && rl >= 1 && cmark_node_get_start_column(row) > 0;
		if (line > m->nlines)
			break;
		if (at_parser_col)
			start = md_off(m, rl, cmark_node_get_start_column(row));
		else
			start = md_row_content(m, line, quotes);
		for (end = start; end < m->len && !md_eol(m, end); end++)
			;
		memset(&a, 0, sizeof a);
		a.m = m;
		a.quotes = quotes;
		a.in_list = md_in_list(table);
		a.conts = conts;
		a.nconts = nconts;
		a.unpiped = 1;
		a.win = end;
		a.cur = a.text_start = start;
		if (!at_parser_col)
			md_row_start(&a, row, md_line_start(m, line));
		a.emit = 1;
		md_row_cells(&a, row, end);
		md_count(m, a.fail);
		m->floor = md_after_line(m, end);
	}
	free(conts);
}

/* ---- directives in HTML blocks ------------------------------------------ */

/* The block after n in the source (footnote definitions are moved to the end of the tree). */
static cmark_node *md_next_block(cmark_node *n, int after_line)
{
	cmark_node *best = NULL, *p = n, *root = n;
	while (p) {
		cmark_node *s = cmark_node_next(p);
		while (s && md_type_is(s, CMARK_NODE_FOOTNOTE_DEFINITION))
			s = cmark_node_next(s);
		if (s) {
			best = s;
			break;
		}
		p = cmark_node_parent(p);
		if (p && md_type_is(p, CMARK_NODE_DOCUMENT))
			break;
	}
	while (cmark_node_parent(root))
		root = cmark_node_parent(root);
	for (p = cmark_node_last_child(root); p && md_type_is(p, CMARK_NODE_FOOTNOTE_DEFINITION);
	     p = cmark_node_previous(p)) {
		int l = cmark_node_get_start_line(p);
		if (l > after_line && (!best || l < cmark_node_get_start_line(best)))
			best = p;
	}
	return best;
}

static void md_html_block(struct md *m, cmark_node *n)
{
	const char *lit = cmark_node_get_literal(n);
	size_t start = md_off(m, cmark_node_get_start_line(n), cmark_node_get_start_column(n));
	size_t nl = 0, end, p;
	int last_line;
	cmark_node *next = NULL;
	unsigned long first = 0, last = 0;
	if (!lit)
		return;
	for (const char *c = lit; *c; c++)
		nl += *c == '\n';
	if (nl == 0 || lit[strlen(lit) - 1] != '\n')
		nl++;
	last_line = cmark_node_get_start_line(n) + (int)nl - 1;
	end = md_off(m, last_line, 1);
	while (end < m->len && !md_eol(m, end))
		end++;
	/* no comment can end after the last "-->" (linear time on a block of unclosed ones) */
	while (end >= start + 3 && memcmp(m->b + end - 3, "-->", 3) != 0)
		end--;
	for (p = start; end >= start + 3 && p + 4 <= end;) {
		const char *hit = doc_find(m->b + p, end - p, "<!--", 4);
		doc_directive d;
		size_t len;
		if (!hit)
			break;
		p = (size_t)(hit - m->b);
		len = doc_comment_directive(hit, end - p, &d.body, &d.body_len);
		if (len == 0) {
			p += 4;
			continue;
		}
		if (!next && !first) {
			next = md_next_block(n, last_line);
			if (next) {
				size_t ns = md_start(m, next);
				size_t ne = md_block_end(m, next, ns);
				first = md_line(m, ns);
				last = md_line(m, ne > ns ? ne - 1 : ns);
			}
		}
		d.span.start = (uint32_t)p;
		d.span.end = (uint32_t)(p + len);
		d.first_line = first;
		d.last_line = last;
		m->sink->directive(m->sink, &d);
		p += len;
	}
	if (md_after_line(m, end) > m->floor)
		m->floor = md_after_line(m, end);
}

/* ---- front matter ------------------------------------------------------- */

/* Is the line at p exactly `mark` (three characters), blanks allowed after?  Returns the next line's offset or 0. */
static size_t md_fence_line(const struct md *m, size_t p, const char *mark)
{
	size_t q;
	if (m->len - p < 3 || memcmp(m->b + p, mark, 3) != 0)
		return 0;
	for (q = p + 3; q < m->len && md_blank(m->b[q]); q++)
		;
	if (q == m->len)
		return q;
	return md_eol(m, q) ? q + md_eol(m, q) : 0;
}

/* Where Markdown starts: after YAML (---...--- or ...) or TOML (+++...+++) front matter. */
static size_t md_front_matter(const struct md *m, size_t body)
{
	const char *open = NULL;
	size_t p;
	if ((p = md_fence_line(m, body, "---")) != 0)
		open = "---";
	else if ((p = md_fence_line(m, body, "+++")) != 0)
		open = "+++";
	if (!open || p >= m->len)
		return body;
	while (p < m->len) {
		size_t next;
		if ((next = md_fence_line(m, p, open)) != 0)
			return next;
		if (open[0] == '-' && (next = md_fence_line(m, p, "...")) != 0)
			return next;
		while (p < m->len && !md_eol(m, p))
			p++;
		p += md_eol(m, p);
	}
	return body;            /* never closed: not front matter */
}

/* ---- constructs the parser is slow on ------------------------------------ */

/*
 * A linear scan for what DOC_MAX_TABLE_COLUMNS and DOC_MAX_IMAGE_OPENERS
 * bound.  Both limits are far above what documents hold (a table of a
 * thousand columns; ten thousand image openers in one paragraph) and low
 * enough that the parser stays within about a second.
 */
static int md_guard(const struct md *m, size_t base, doc_refusal *why)
{
	size_t p = base, images = 0;
	while (p < m->len) {
		size_t q = p, e, pipes = 0, other = 0, dashes = 0, blank = 1;
		while (q < m->len && !md_eol(m, q))
			q++;
		e = q;
		for (q = p; q < e; q++) {
			char c = m->b[q];
			if (c == '|')
				pipes++;
			else if (c == '-')
				dashes++;
			else if (c != ':' && c != '>' && !md_blank(c))
				other++;
			if (!md_blank(c))
				blank = 0;
			if (c == '!' && q + 1 < e && m->b[q + 1] == '[' && ++images > DOC_MAX_IMAGE_OPENERS) {
				why->span.start = (uint32_t)q;
				why->span.end = (uint32_t)q + 2;
				snprintf(why->why, sizeof why->why,
					 "more than %d image openers '![' in one block: the Markdown parser "
					 "would take quadratic time", DOC_MAX_IMAGE_OPENERS);
				return -1;
			}
		}
		if (blank)
			images = 0;
		if (!other && dashes && pipes > DOC_MAX_TABLE_COLUMNS) {
			why->span.start = (uint32_t)p;
			why->span.end = (uint32_t)e;
			snprintf(why->why, sizeof why->why,
				 "a table with more than %d columns: the Markdown parser would take "
				 "quadratic time", DOC_MAX_TABLE_COLUMNS);
			return -1;
		}
		p = e + md_eol(m, e);
		if (e == m->len)
			break;
	}
	return 0;
}

/*
 * cmark-gfm 0.29 takes the label of a "[^label]" from the text node after
 * the '[' as if that node pointed into its input.  When the caret is
 * written as an entity ("[&#94;a]", "[&Hat;a]"), that node is the
 * entity's own decoded buffer, freed before the label is read: a read of
 * freed memory, past the buffer's end, that puts heap bytes into the
 * text.  So the parser gets a copy in which the '&' of such an entity
 * (after a '[' no backslash escapes) is a '^': the node then points into
 * the input, and the label is the entity's other bytes and what follows
 * it, as written ("[^#94;a]"; the text's '^' maps to the source's '&').
 * The aligner reads the same copy.  Returns it, or NULL when the source
 * holds no such entity.
 */
static char *md_caret_entities(const struct md *m, size_t base)
{
	char *copy = NULL;
	cmark_strbuf dec;
	cmark_strbuf_init(&md_mem, &dec, 8);
	for (size_t p = base; p + 1 < m->len; p++) {
		size_t bs = 0;
		if (m->b[p] != '[' || m->b[p + 1] != '&')
			continue;
		while (p - bs > base && m->b[p - bs - 1] == '\\')
			bs++;
		if (bs % 2 == 0 && md_entity_at(m, p + 1, &dec) > 0 && dec.size > 0 && dec.ptr[0] == '^') {
			if (!copy) {
				copy = xmalloc(m->len);
				memcpy(copy, m->b, m->len);
			}
			copy[p + 1] = '^';
		}
	}
	cmark_strbuf_free(&dec);
	return copy;
}

/*
 * A "[^label]" that no footnote definition answers comes back from
 * cmark-gfm as text with bytes of the label kept, dropped or left
 * undecoded by rules that depend on everything the label holds (escapes,
 * entities, code spans, autolinks, line endings): the aligner followed
 * many of them, and the fuzzer kept finding more.  So such a caret never
 * reaches the parser.  In the copy the parser and the aligner read, the
 * '^' after a '[' (or after "[\") becomes MD_CARET, unless what follows
 * is "plain]" with a plain label (md_fn_plain) that a definition of the
 * document carries: the one kind of "[^" cmark-gfm turns into a footnote
 * reference.  MD_CARET is ASCII punctuation like '^', and neither
 * CommonMark nor a GFM extension gives it a meaning, so everything else
 * parses as before; md_finish_text gives the texts their '^' back.  Labels
 * are compared with ASCII case folded, where cmark-gfm folds all of
 * Unicode: a reference differing from its definition only in the case of
 * a non-ASCII letter is read as text (and the definition, if nothing else
 * refers to it, is dropped as cmark-gfm drops unused ones).
 */
#define MD_CARET '%'
/*
 * In "[^label]:" (a definition no reference answered, so cmark-gfm drops
 * it): '#', so that it turns into a link reference definition no hidden
 * reference "[%label]" can use.  '#' means something only at the start
 * of a line, never right after a '['.
 */
#define MD_CARET_DEF '#'

struct md_label {
	const char *s;
	size_t n;
};

/* A label cmark-gfm's definitions accept and no inline construct can cut short. */
static int md_fn_plain(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || strchr("]\\`<&[^", s[i]))
			return 0;
	return 1;
}

static int md_label_cmp(const void *x, const void *y)
{
	const struct md_label *a = x, *b = y;
	for (size_t i = 0; i < a->n && i < b->n; i++) {
		int ca = tolower((unsigned char)a->s[i]), cb = tolower((unsigned char)b->s[i]);
		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	return a->n < b->n ? -1 : a->n > b->n;
}

/*
 * The "[^label]:" that opens footnote definition d: the last "[^" on its
 * first line before its position, which cmark-gfm puts past the marker
 * and the blanks after it; so a definition nested in another on the same
 * line ("[^a]: [^b]: text") gets its own.  Returns the offset of its '['
 * and the label as written in *lab, *nlab; SIZE_MAX when there is none.
 */
static size_t md_fn_marker(const struct md *m, cmark_node *d, const char **lab, size_t *nlab)
{
	int line = cmark_node_get_start_line(d);
	size_t ls, p, q;
	if (line < 1 || (size_t)line > m->nlines)
		return SIZE_MAX;
	ls = md_line_start(m, (size_t)line);
	for (p = md_off(m, line, cmark_node_get_start_column(d)); p > ls; p--)
		if (m->b[p - 1] == '[' && p < m->len && m->b[p] == '^')
			break;
	if (p <= ls)
		return SIZE_MAX;
	for (q = p + 1; q < m->len && m->b[q] != ']' && !md_eol(m, q); q++)
		;
	if (q + 1 >= m->len || m->b[q] != ']' || m->b[q + 1] != ':')
		return SIZE_MAX;
	*lab = m->b + p + 1;
	*nlab = q - p - 1;
	return p - 1;
}

/*
 * The labels of the footnote definitions doc holds (cmark-gfm keeps only
 * those something refers to), sorted, as written in m->b (md_fn_marker).
 */
static struct md_label *md_fn_labels(const struct md *m, cmark_node *doc, size_t *count)
{
	struct md_label *v = NULL;
	size_t n = 0, cap = 0, nlab;
	const char *lab;
	for (cmark_node *d = cmark_node_first_child(doc); d; d = cmark_node_next(d)) {
		if (!md_type_is(d, CMARK_NODE_FOOTNOTE_DEFINITION) || md_fn_marker(m, d, &lab, &nlab) == SIZE_MAX ||
		    !md_fn_plain(lab, nlab))
			continue;
		if (n == cap)
			v = xrealloc(v, (cap = cap ? 2 * cap : 8) * sizeof *v);
		v[n].s = lab;
		v[n++].n = nlab;
	}
	if (n)
		qsort(v, n, sizeof *v, md_label_cmp);
	*count = n;
	return v;
}

static cmark_node *md_parse(const struct md *m, size_t base);

/*
 * Hide the carets of the "[^" no definition answers (above), in copy (a
 * copy of the source already, or NULL: then one is made when needed).
 * Returns the copy the parser is to read, or NULL when it is the source.
 */
static char *md_hide_carets(struct md *m, size_t base, char *copy)
{
	struct md_label *labels;
	size_t nlabels, p;
	cmark_node *doc;
	const char *b = m->b;
	if (!doc_find(b + base, m->len - base, "[^", 2) && !doc_find(b + base, m->len - base, "[\\^", 3))
		return copy;
	doc = md_parse(m, base);
	labels = md_fn_labels(m, doc, &nlabels);
	for (p = base; p + 1 < m->len; p++) {
		size_t caret = b[p + 1] == '\\' ? p + 2 : p + 1, q;
		if (b[p] != '[' || caret >= m->len || b[caret] != '^')
			continue;
		for (q = caret + 1; q < m->len && b[q] != ']' && !md_eol(m, q); q++)
			;
		if (caret == p + 1 && nlabels) {
			struct md_label key;
			size_t bs = 0;
			while (p - bs > base && b[p - bs - 1] == '\\')
				bs++;
			key.s = b + caret + 1;
			key.n = q - caret - 1;
			if (bs % 2 == 0 && q < m->len && b[q] == ']' && md_fn_plain(key.s, key.n) &&
			    bsearch(&key, labels, nlabels, sizeof *labels, md_label_cmp))
				continue;       /* a footnote reference */
		}
		if (!copy) {
			copy = xmalloc(m->len);
			memcpy(copy, m->b, m->len);
		}
		copy[caret] = q + 1 < m->len && b[q] == ']' && b[q + 1] == ':' ? MD_CARET_DEF : MD_CARET;
	}
	free(labels);
	cmark_node_free(doc);
	return copy;
}

/*
 * Give the text's bytes their '^' back where the parser
 * read MD_CARET or MD_CARET_DEF in its place (md_hide_carets): written as such, escaped
 * ("[\^") or as an entity (md_caret_entities).
 */
static void md_unhide_carets(struct md *m)
{
	const char *orig = m->src->text;
	if (m->b == orig)
		return;
	for (size_t k = 0; k < m->tb.n; k++) {
		size_t off;
		char c = m->tb.b[k];
		if (c != MD_CARET && c != MD_CARET_DEF)
			continue;
		off = dtext_src(&m->tb, k);
		if (off < m->len && m->b[off] == '\\')
			off++;
		if (off < m->len && m->b[off] == c && orig[off] != c)
			m->tb.b[k] = '^';
	}
}

/* ---- the document ----------------------------------------------------- */

/* Does block n's span hold line l, column c (both 1-based)? */
static int md_holds(cmark_node *n, int l, int c)
{
	int sl = cmark_node_get_start_line(n), sc = cmark_node_get_start_column(n);
	int el = cmark_node_get_end_line(n), ec = cmark_node_get_end_column(n);
	return sl >= 1 && (l > sl || (l == sl && c >= sc)) && (l < el || (l == el && c <= ec));
}

static int md_fn_cmp(const void *x, const void *y)
{
	cmark_node *a = *(cmark_node *const *)x, *b = *(cmark_node *const *)y;
	int la = cmark_node_get_start_line(a), lb = cmark_node_get_start_line(b);
	if (la != lb)
		return la < lb ? -1 : 1;
	la = cmark_node_get_start_column(a);
	lb = cmark_node_get_start_column(b);
	return la < lb ? -1 : la > lb;
}

/*
 * The column where home's content starts on line l, the first line of
 * definition d (which is in it): after home's own marker when home opens
 * on that line, else after the prefixes of the containers d is in.
 */
static size_t md_fn_home_col(const struct md *m, cmark_node *d, cmark_node *home, size_t l)
{
	size_t marker, content = 0, p, n;
	int *conts;
	if (!home)
		return 0;
	if ((size_t)cmark_node_get_start_line(home) == l) {
		if (md_type_is(home, CMARK_NODE_ITEM))
			return md_item_content(m, home, &marker, &content) == 0 ? content : 0;
		p = md_off(m, (int)l, cmark_node_get_start_column(home));
		return md_col(m, l, p) + 1 + (p + 1 < m->len && md_blank(m->b[p + 1]));
	}
	conts = md_conts(m, d, &n);
	p = md_line_start(m, l);
	md_prefix(m, conts, n, 0, &p, &content, NULL, NULL);
	free(conts);
	return content;
}

/* One more entry in h->lost (md_fn_lost). */
static void md_fn_lose(struct md_fn_home *h, int width)
{
	h->lost = xrealloc(h->lost, (h->nlost + 1) * sizeof *h->lost);
	h->lost[h->nlost++] = width;
}

/* Past the blanks at b[*p] (before q), keeping *col, the column, up to date. */
static void md_fn_blanks(const struct md *m, size_t *p, size_t q, size_t *col)
{
	for (; *p < q && md_blank(m->b[*p]); ++*p)
		*col = m->b[*p] == '\t' ? *col + 4 - *col % 4 : *col + 1;
}

/*
 * The containers between definition d's home and d itself, outermost
 * first, as md_conts entries in h->lost: cmark-gfm drops a definition
 * nothing refers to, with the block quotes and list items in it, and
 * moves the others out of it, so the tree does not say.  Read from d's
 * first line: 4 (a definition opened on an earlier line) for each 4
 * columns d's line is indented past the home's content, then one entry
 * for each container opened on the line before d's "[^label]:": 4 for a
 * "[^label]:", 0 for a '>', a list marker's width and padding for an item.
 * Reading stops at anything else.
 */
static void md_fn_lost(const struct md *m, cmark_node *d, struct md_fn_home *h)
{
	const char *lab;
	size_t nlab, q, p, r, col = 0, hc, w, l = (size_t)cmark_node_get_start_line(d);
	if ((q = md_fn_marker(m, d, &lab, &nlab)) == SIZE_MAX)
		return;
	hc = md_fn_home_col(m, d, h->home, l);
	for (p = md_line_start(m, l); p < q && col < hc; p++)
		col = m->b[p] == '\t' ? col + 4 - col % 4 : col + 1;
	md_fn_blanks(m, &p, q, &col);
	for (w = col > hc ? (col - hc) / 4 : 0; w > 0; w--)
		md_fn_lose(h, 4);
	while (p < q) {
		if (m->b[p] == '[' && p + 1 < q && m->b[p + 1] == '^') {
			for (r = p + 2; r < q && m->b[r] != ']'; r++)
				;
			if (r + 1 >= q || m->b[r + 1] != ':')
				return;
			col += r + 2 - p;       /* a plain label: no tabs */
			p = r + 2;
			md_fn_lose(h, 4);
		} else if (m->b[p] == '>') {
			p++;
			col++;
			md_fn_lose(h, 0);
		} else {
			size_t mark = col, pad;
			r = p;
			if (strchr("-*+", m->b[r]))
				r++;
			else
				while (r < q && r - p < 9 && isdigit((unsigned char)m->b[r]))
					r++;
			if (r == p || (r - p > 1 && !isdigit((unsigned char)m->b[p])))
				return;
			if (isdigit((unsigned char)m->b[p]) && (r >= q || (m->b[r] != '.' && m->b[r] != ')')))
				return;
			if (isdigit((unsigned char)m->b[p]))
				r++;
			if (r >= q || !md_blank(m->b[r]))
				return;
			col += r - p;
			p = r;
			mark = col - mark;      /* the marker's width */
			pad = col;
			md_fn_blanks(m, &p, q, &col);
			pad = col - pad;
			md_fn_lose(h, (int)(mark + (pad >= 1 && pad <= 4 ? pad : 1)));
			continue;
		}
		md_fn_blanks(m, &p, q, &col);
	}
}

/*
 * cmark-gfm moves each footnote definition to the end of the document,
 * out of the block quote or list item it was written in, whose prefixes
 * its lines still carry.  Find that container, the innermost block quote
 * or list item (outside footnote definitions) whose span holds the
 * definition's start, and the containers between (md_fn_lost); keep
 * them in m->fnh, each definition's user data pointing at its own (md_up,
 * md_conts).  One walk of the tree, the definitions sorted by position:
 * a container entered later in the walk and holding one is inside the
 * one before.
 */
static void md_fn_homes(struct md *m, cmark_node *doc)
{
	cmark_node *p, **fn;
	size_t n = 0, k;
	cmark_iter *it;
	cmark_event_type ev;
	for (p = cmark_node_last_child(doc); p && md_type_is(p, CMARK_NODE_FOOTNOTE_DEFINITION); p = cmark_node_previous(p))
		n++;
	if (n == 0)
		return;
	fn = xmalloc(n * sizeof *fn);
	m->fnh = xcalloc(n, sizeof *m->fnh);
	m->nfnh = n;
	k = n;
	for (p = cmark_node_last_child(doc); k > 0; p = cmark_node_previous(p))
		fn[--k] = p;
	qsort(fn, n, sizeof *fn, md_fn_cmp);
	for (k = 0; k < n; k++)
		cmark_node_set_user_data(fn[k], &m->fnh[k]);
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		size_t lo = 0, hi = n;
		p = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (!md_type_is(p, CMARK_NODE_BLOCK_QUOTE) && !md_type_is(p, CMARK_NODE_ITEM) &&
		    !md_type_is(p, CMARK_NODE_LIST) && !md_type_is(p, CMARK_NODE_DOCUMENT)) {
			/* a leaf or table holds no container; a definition's are not where it was */
			cmark_iter_reset(it, p, CMARK_EVENT_EXIT);
			continue;
		}
		if (!md_type_is(p, CMARK_NODE_BLOCK_QUOTE) && !md_type_is(p, CMARK_NODE_ITEM))
			continue;
		/* the first definition at or after p's start */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			int l = cmark_node_get_start_line(fn[mid]), c = cmark_node_get_start_column(fn[mid]);
			int sl = cmark_node_get_start_line(p), sc = cmark_node_get_start_column(p);
			if (l < sl || (l == sl && c < sc))
				lo = mid + 1;
			else
				hi = mid;
		}
		for (k = lo; k < n && md_holds(p, cmark_node_get_start_line(fn[k]), cmark_node_get_start_column(fn[k])); k++)
			m->fnh[k].home = p;
	}
	cmark_iter_free(it);
	/* after every home is known: a home's column needs the homes outside it */
	for (k = 0; k < n; k++)
		md_fn_lost(m, fn[k], &m->fnh[k]);
	free(fn);
}

static void md_fn_free(struct md *m)
{
	for (size_t k = 0; k < m->nfnh; k++)
		free(m->fnh[k].lost);
	free(m->fnh);
}

static cmark_node *md_parse(const struct md *m, size_t base)
{
	static const char *const exts[] = { "table", "strikethrough", "autolink" };
	cmark_parser *p;
	cmark_node *doc;
	size_t i;
	cmark_gfm_core_extensions_ensure_registered();
	p = cmark_parser_new_with_mem(CMARK_OPT_FOOTNOTES, &md_mem);
	for (i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
		if (e)
			cmark_parser_attach_syntax_extension(p, e);
	}
	cmark_parser_feed(p, m->b + base, m->len - base);
	doc = cmark_parser_finish(p);
	cmark_parser_free(p);
	return doc;
}

int doc_md_read(const source *src, doc_sink *sink, doc_stats *stats, doc_refusal *why)
{
	struct md m;
	cmark_node *doc, *n;
	cmark_iter *it;
	cmark_event_type ev;
	size_t base;
	char *safe;

	memset(&m, 0, sizeof m);
	m.src = src;
	m.b = src->text;
	m.len = src->len;
	m.sink = sink;
	m.stats = stats;
	m.math.enabled = 1;
	m.math.close_at = SIZE_MAX;
	dtext_init(&m.tb, src);
	dtext_init(&m.tmp, src);
	cmark_strbuf_init(&md_mem, &m.ent, 16);

	base = md_front_matter(&m, src->body <= src->len ? src->body : src->len);
	if (md_guard(&m, base, why) != 0) {
		cmark_strbuf_free(&m.ent);
		return -1;
	}
	m.base = base;
	if ((safe = md_caret_entities(&m, base)) != NULL)
		m.b = safe;
	m.first = source_pos(src, base).line - 1;
	m.nlines = src->nlines - m.first;
	if ((safe = md_hide_carets(&m, base, safe)) != NULL)
		m.b = safe;
	doc = md_parse(&m, base);
	md_fn_homes(&m, doc);
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node_type t;
		if (ev != CMARK_EVENT_ENTER)
			continue;
		n = cmark_iter_get_node(it);
		t = cmark_node_get_type(n);
		if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING) {
			md_leaf(&m, n);
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
		} else if (t == CMARK_NODE_HTML_BLOCK) {
			md_html_block(&m, n);
		} else if (t == CMARK_NODE_FOOTNOTE_DEFINITION) {
			/* moved to the end of the tree: its blocks are earlier in the source */
			m.floor = md_start(&m, n);
		} else if (md_is_ext(n, "table")) {
			md_table(&m, n);
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	md_fn_free(&m);
	cmark_strbuf_free(&m.ent);
	dtext_free(&m.tb);
	dtext_free(&m.tmp);
	free(safe);
	return 0;
}
