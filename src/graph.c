/*
 * graph.c: the story as DOT (graph.h) and the `lossc graph` command.
 *
 * Layout is left to Graphviz (left to right: data, losses, rationales
 * and agents, goals); edges are written in the direction the story flows,
 * and `dir=back` turns the arrowhead of the ones whose keyword reads the
 * other way (`loss ce on mnist` draws mnist -> ce with the arrow at mnist),
 * so every arrow points from the declaration that names to the one named.
 *
 * Every string that reaches the DOT text (names, prose, messages, the
 * title) goes through graph_str: quotes and backslashes escaped, line
 * breaks as \n, control characters as blanks, and '&' as an entity, since
 * Graphviz reads entities in plain labels.
 */
#include "graph.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmds.h"
#include "losscrc.h"
#include "opt.h"
#include "walk.h"
#include "outfile.h"
#include "parse.h"
#include "path.h"
#include "pp.h"
#include "resolve.h"
#include "select.h"
#include "source.h"
#include "story.h"
#include "suppress.h"
#include "xalloc.h"

#define GRAPH_WARN_LINE "#b45309"
#define GRAPH_WARN_FILL "#fef3c7"
#define GRAPH_ERROR_LINE "#b91c1c"
#define GRAPH_ERROR_FILL "#fee2e2"

/* ---- DOT text ----------------------------------------------------------- */

/* Bytes of s as the inside of a DOT quoted string (an escString). */
static void graph_str(FILE *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '&')
			fputs("&amp;", out);
		else if (c < 0x20 || c == 0x7f)
			putc(' ', out);
		else
			putc(c, out);
	}
}

static void graph_cstr(FILE *out, const char *s)
{
	graph_str(out, s, strlen(s));
}

/*
 * Prose for a label: lines of about `width` characters broken at blanks,
 * at most `max` characters in all ("..." when cut; never inside a UTF-8
 * character).
 */
static void graph_wrapped(FILE *out, const char *s, size_t n, size_t width, size_t max)
{
	size_t col = 0, shown = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int lead = (c & 0xC0) != 0x80;
		if (lead && shown == max) {
			fputs("...", out);
			return;
		}
		if (c == ' ' && col >= width) {
			fputs("\\n", out);
			col = 0;
			shown++;
			continue;
		}
		graph_str(out, s + i, 1);
		if (lead) {
			col = c == '\n' ? 0 : col + 1;
			shown++;
		}
	}
}

/* ---- declarations as nodes ---------------------------------------------- */

typedef struct graph_ref {
	ast_decl_kind kind;     /* what the name should have named */
	const char *name;
	size_t len;
	size_t id;              /* m<id> */
} graph_ref;

typedef struct graph {
	FILE *out;
	const ast_file *f;
	const ast_decl **decls; /* sorted by address, for decl -> node number */
	size_t *num;            /* num[i]: node number of decls[i] */
	size_t ndecls;
	graph_ref *refs;        /* names that resolve to nothing, sorted and unique */
	size_t nrefs, refs_cap;
	size_t ncares;
} graph;

static int graph_ptr_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(const ast_decl *const *)a, y = (uintptr_t)*(const ast_decl *const *)b;
	return x < y ? -1 : x > y;
}

static size_t graph_decl_num(const graph *g, const ast_decl *d)
{
	const ast_decl **hit = bsearch(&d, g->decls, g->ndecls, sizeof *g->decls, graph_ptr_cmp);
	return hit ? g->num[hit - g->decls] : 0;
}

static int graph_ref_cmp(const void *a, const void *b)
{
	const graph_ref *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->name, y->name, n);
	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

static void graph_note_ref(graph *g, const ast_name *n, ast_decl_kind kind)
{
	if (!n->s || (n->decl && n->decl->kind == kind))
		return;
	g->refs = pp_grow(g->refs, &g->refs_cap, g->nrefs + 1, sizeof *g->refs);
	g->refs[g->nrefs++] = (graph_ref){ kind, n->s, n->len, 0 };
}

/* Every reference, in source order: fn(g, decl, item, name, kind of what it names, edge label). */
typedef void (*graph_ref_fn)(graph *g, const ast_decl *d, const ast_item *it, const ast_name *n,
			     ast_decl_kind kind, const char *label);

static void graph_walk_refs(graph *g, graph_ref_fn fn)
{
	for (const ast_decl *d = g->f->decls; d; d = d->next) {
		if (d->kind == DECL_LOSS)
			fn(g, d, NULL, &d->target, DECL_DATASET, "on");
		if (d->kind == DECL_RATIONALE)
			fn(g, d, NULL, &d->target, DECL_GOAL, "for");
		for (const ast_item *it = d->items; it; it = it->next) {
			if (it->kind == IT_USES)
				for (size_t k = 0; k < it->nnames; k++)
					fn(g, d, it, &it->names[k], DECL_LOSS, "uses");
			else if (it->kind == IT_TRAINED_BY)
				fn(g, d, it, &it->name, DECL_LOSS, "trained_by");
			else if (it->kind == IT_CARES_ABOUT)
				fn(g, d, it, &it->name, DECL_GOAL, "cares_about");
		}
	}
}

static void graph_collect_ref(graph *g, const ast_decl *d, const ast_item *it, const ast_name *n,
			      ast_decl_kind kind, const char *label)
{
	(void)d;
	(void)label;
	if (it && it->kind == IT_CARES_ABOUT && it->choice != CARE_GOAL)
		return;
	graph_note_ref(g, n, kind);
}

static size_t graph_ref_id(const graph *g, const ast_name *n, ast_decl_kind kind)
{
	graph_ref key = { kind, n->s, n->len, 0 };
	const graph_ref *hit = bsearch(&key, g->refs, g->nrefs, sizeof *g->refs, graph_ref_cmp);
	return hit ? hit->id : 0;
}

static const char *graph_shape(ast_decl_kind k)
{
	switch (k) {
	case DECL_DATASET: return "shape=cylinder";
	case DECL_LOSS: return "shape=box";
	case DECL_GOAL: return "shape=ellipse, peripheries=2";
	case DECL_RATIONALE: return "shape=note";
	case DECL_AGENT: return "shape=hexagon";
	}
	return "shape=box";
}

static int graph_is_story_code(const char *code)
{
	return strlen(code) == 5 && strncmp(code, "LS1", 3) == 0;
}

/* One declaration's node; *k walks the sorted findings alongside the declarations. */
static void graph_node(graph *g, const ast_decl *d, size_t num, const diag_list *story, size_t *k)
{
	FILE *out = g->out;
	size_t first, last;
	int error = 0;
	while (*k < story->n && story->items[*k].span.start < d->span.start)
		(*k)++;
	first = *k;
	while (*k < story->n && story->items[*k].span.start < d->span.end)
		(*k)++;
	last = *k;
	size_t nfound = 0;
	for (size_t i = first; i < last; i++)
		if (graph_is_story_code(story->items[i].code)) {
			nfound++;
			error |= story->items[i].sev >= SEV_ERROR;
		}

	fprintf(out, "    d%zu [label=\"%s\\n", num, ast_decl_kind_name(d->kind));
	if (d->name.s)
		graph_str(out, d->name.s, d->name.len);
	for (size_t i = first, shown = 0; i < last; i++) {
		if (!graph_is_story_code(story->items[i].code))
			continue;
		fprintf(out, "%s%s", shown++ ? " " : "\\n", story->items[i].code);
	}
	fprintf(out, "\", %s", graph_shape(d->kind));
	if (nfound)
		fprintf(out, ", color=\"%s\", fontcolor=\"%s\", fillcolor=\"%s\", penwidth=2",
			error ? GRAPH_ERROR_LINE : GRAPH_WARN_LINE, error ? GRAPH_ERROR_LINE : GRAPH_WARN_LINE,
			error ? GRAPH_ERROR_FILL : GRAPH_WARN_FILL);
	/* The tooltip: the findings, then what the declaration is about. */
	const ast_item *about = ast_find_item(d, IT_ABOUT);
	if (nfound || about) {
		int sep = 0;
		fputs(", tooltip=\"", out);
		for (size_t i = first; i < last; i++) {
			const diag *x = &story->items[i];
			if (!graph_is_story_code(x->code))
				continue;
			fprintf(out, "%s%s: ", sep++ ? "\\n" : "", x->code);
			graph_cstr(out, x->message);
		}
		if (about) {
			fputs(sep ? "\\n\\n" : "", out);
			graph_str(out, about->text.bytes, about->text.len);
		}
		putc('"', out);
	}
	fputs("];\n", out);
}

/* What an agent cares about when it is not a goal: a node of its own. */
static void graph_care_node(graph *g, const ast_item *it, size_t id)
{
	FILE *out = g->out;
	fprintf(out, "    c%zu [label=\"", id);
	if (it->choice == CARE_OTHER) {
		fputs("other:\\n", out);
		graph_wrapped(out, it->text.bytes, it->text.len, 28, 140);
		fputs("\", tooltip=\"", out);
		graph_str(out, it->text.bytes, it->text.len);
	} else {
		fputs(it->choice == CARE_REGISTER ? "the loss register" : "its predictions", out);
	}
	fputs("\", shape=plaintext, fontcolor=\"#374151\"];\n", out);
}

static void graph_edge(graph *g, const ast_decl *d, const ast_item *it, const ast_name *n,
		       ast_decl_kind kind, const char *label)
{
	FILE *out = g->out;
	size_t me = graph_decl_num(g, d);
	char other[32];
	if (it && it->kind == IT_CARES_ABOUT && it->choice != CARE_GOAL) {
		snprintf(other, sizeof other, "c%zu", ++g->ncares);
		graph_care_node(g, it, g->ncares);
	} else if (n->decl && n->decl->kind == kind) {
		snprintf(other, sizeof other, "d%zu", graph_decl_num(g, n->decl));
	} else if (n->s) {
		snprintf(other, sizeof other, "m%zu", graph_ref_id(g, n, kind));
	} else {
		return;
	}
	/* The story flows data -> loss -> rationale/agent -> goal; the arrow points at what is named. */
	if (kind == DECL_GOAL)
		fprintf(out, "    d%zu -> %s [label=\"%s\"];\n", me, other, label);
	else
		fprintf(out, "    %s -> d%zu [label=\"%s\", dir=back];\n", other, me, label);
}

int graph_dot(FILE *out, const ast_file *f, const diag_list *story, const char *title)
{
	graph g;
	memset(&g, 0, sizeof g);
	g.out = out;
	g.f = f;
	for (const ast_decl *d = f->decls; d; d = d->next)
		g.ndecls++;
	size_t cap = 0;
	g.decls = pp_grow(NULL, &cap, g.ndecls + 1, sizeof *g.decls);
	cap = 0;
	g.num = pp_grow(NULL, &cap, g.ndecls + 1, sizeof *g.num);
	size_t i = 0;
	for (const ast_decl *d = f->decls; d; d = d->next)
		g.decls[i++] = d;
	qsort(g.decls, g.ndecls, sizeof *g.decls, graph_ptr_cmp);
	i = 0;
	for (const ast_decl *d = f->decls; d; d = d->next)
		g.num[(const ast_decl **)bsearch(&d, g.decls, g.ndecls, sizeof *g.decls, graph_ptr_cmp) - g.decls] = ++i;

	graph_walk_refs(&g, graph_collect_ref);
	if (g.nrefs)
		qsort(g.refs, g.nrefs, sizeof *g.refs, graph_ref_cmp);
	size_t u = 0;
	for (i = 0; i < g.nrefs; i++)
		if (u == 0 || graph_ref_cmp(&g.refs[u - 1], &g.refs[i]) != 0) {
			g.refs[u] = g.refs[i];
			g.refs[u].id = u + 1;
			u++;
		}
	g.nrefs = u;

	fputs("digraph story {\n", out);
	fputs("    graph [rankdir=LR, labelloc=t, fontname=\"Helvetica,Arial,sans-serif\", label=\"", out);
	graph_cstr(out, title);
	fputs("\"];\n", out);
	fputs("    node [fontname=\"Helvetica,Arial,sans-serif\", fontsize=11, style=filled, "
	      "fillcolor=\"#ffffff\", color=\"#374151\"];\n", out);
	fputs("    edge [fontname=\"Helvetica,Arial,sans-serif\", fontsize=9, color=\"#4b5563\"];\n", out);
	size_t k = 0, num = 0;
	for (const ast_decl *d = f->decls; d; d = d->next)
		graph_node(&g, d, ++num, story, &k);
	for (i = 0; i < g.nrefs; i++) {
		const graph_ref *r = &g.refs[i];
		fprintf(out, "    m%zu [label=\"%s\\n", r->id, ast_decl_kind_name(r->kind));
		graph_str(out, r->name, r->len);
		fprintf(out, "\\n(not declared)\", shape=box, style=\"filled,dashed\", color=\"%s\", "
			"fontcolor=\"%s\", fillcolor=\"%s\", tooltip=\"no %s named '",
			GRAPH_ERROR_LINE, GRAPH_ERROR_LINE, GRAPH_ERROR_FILL, ast_decl_kind_name(r->kind));
		graph_str(out, r->name, r->len);
		fputs("' in this file (LS010 or LS012)\"];\n", out);
	}
	graph_walk_refs(&g, graph_edge);
	fputs("}\n", out);
	free(g.decls);
	free(g.num);
	free(g.refs);
	return ferror(out) ? -1 : 0;
}

/* ---- the command --------------------------------------------------------- */

static const char graph_usage_text[] =
	"Usage: lossc graph [OPTION]... FILE\n"
	"Draw FILE's training story as a Graphviz graph: datasets, losses, goals,\n"
	"rationales and agents, their links, and the story findings (LS101-LS109)\n"
	"in a warning colour.  '-' reads standard input.\n"
	"\n"
	"Options:\n"
	"  --format FORMAT  dot (default: the graph as DOT text), svg or png\n"
	"                   (rendered by Graphviz's dot, which must be installed)\n"
	"  -o, --output FILE  write to FILE (atomically) instead of standard output\n"
	"  --config FILE    use this config file's enable/disable for the findings\n"
	"  --stdin-filename NAME  the name of standard input ('-'), for its\n"
	"                   config and the graph's title\n"
	"  --no-config      use no config file\n"
	"  --help           print this help and exit\n"
	"\n"
	"Exit status: 0 the graph was written (whatever the story's findings),\n"
	"2 the file could not be read or parsed, Graphviz is missing or failed,\n"
	"or the command line is wrong.\n";

#define graph_usage_error(...) opt_usage_error("graph", __VA_ARGS__)
#define graph_error(...) opt_error("graph", __VA_ARGS__)

/* Graphviz's dot on PATH, as a malloc'd path, or NULL. */
static char *graph_find_dot(void)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/bin:/bin";
	while (*path) {
		const char *end = strchr(path, ':');
		size_t n = end ? (size_t)(end - path) : strlen(path);
		char *cand = xmalloc(n + 6);
		struct stat st;
		if (n == 0)
			strcpy(cand, "./dot");
		else
			snprintf(cand, n + 6, "%.*s/dot", (int)n, path);
		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0)
			return cand;
		free(cand);
		path += n;
		if (*path == ':')
			path++;
	}
	return NULL;
}

/* Runs `dot -T<format>` with the DOT text on its input and its output on fd.  0, or -1 after saying why. */
static int graph_run_dot(const char *dot, const char *format, const char *text, size_t len, int fd)
{
	int in[2];
	char tflag[16];
	snprintf(tflag, sizeof tflag, "-T%s", format);
	if (pipe(in) != 0)
		return graph_error("cannot start Graphviz: %s", strerror(errno)), -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(in[0]);
		close(in[1]);
		return graph_error("cannot start Graphviz: %s", strerror(errno)), -1;
	}
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(fd, 1);
		close(in[0]);
		close(in[1]);
		execl(dot, "dot", tflag, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	/* dot may stop reading early (it failed): no SIGPIPE, its exit status says what happened. */
	struct sigaction ign, old;
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &old);
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(in[1], text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(in[1]);
	sigaction(SIGPIPE, &old, NULL);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return graph_error("cannot wait for Graphviz: %s", strerror(errno)), -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (WIFEXITED(status))
			graph_error("Graphviz's dot failed (exit status %d)", WEXITSTATUS(status));
		else
			graph_error("Graphviz's dot was killed by signal %d", WTERMSIG(status));
		return -1;
	}
	return 0;
}

static int graph_not_drawn(const diag *d, void *sel)
{
	return !graph_is_story_code(d->code) || !sel_enabled(sel, d->code);
}

/*
 * The story findings to draw: LS1xx, minus what the config disables or
 * ignores for this file and what `allow` silences, at the config's
 * severities.
 */
static int graph_findings(ast_file *f, diag_list *diags, const char *path, const char *config_path,
			  int no_config)
{
	selection sel;
	lconfig cfg;
	char err[1024];
	char *cfgpath = NULL;
	memset(&sel, 0, sizeof sel);
	memset(&cfg, 0, sizeof cfg);
	if (!no_config) {
		cfgpath = config_path ? xstrdup(config_path) : config_find(path);
		if (cfgpath && config_load(&cfg, cfgpath, err, sizeof err) != 0) {
			fprintf(stderr, "%s\n", err);
			free(cfgpath);
			return -1;
		}
		if (cfgpath) {
			sel.enable = cfg.enable;
			sel.disable = cfg.disable;
			char *abs = strcmp(path, "-") ? path_absolute(path) : NULL;
			if (abs)
				config_file_ignores(&cfg, abs, &sel.per_file);
			free(abs);
		}
	}
	resolve_file(f, diags);
	story_check(f, diags);
	suppress_apply(f, diags, 0, NULL, NULL);
	diag_remove_if(diags, 0, graph_not_drawn, &sel);
	diag_sort(diags);
	if (cfgpath) {
		/* the config's severity: key decides the colour, as it decides lint's verdict */
		for (size_t i = 0; i < diags->n; i++)
			diags->items[i].sev = (diag_severity)config_severity(&cfg, diags->items[i].code,
									     diags->items[i].sev);
		config_free(&cfg);
	}
	sel_list_free(&sel.per_file);
	free(cfgpath);
	return 0;
}

int cmd_graph(int argc, char **argv)
{
	const char *file = NULL, *format = "dot", *output = NULL, *config_path = NULL, *stdin_name = NULL;
	int no_config = 0, only_files = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		int k;
		if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
			if (file)
				return graph_usage_error("one input file at a time ('%s' and '%s')", file, a);
			file = a;
		} else if (strcmp(a, "--") == 0) {
			only_files = 1;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			if (fputs(graph_usage_text, stdout) == EOF || fflush(stdout) != 0)
				return graph_error("error writing standard output: %s", strerror(errno));
			return 0;
		} else if (strcmp(a, "--no-config") == 0) {
			no_config = 1;
		} else if ((k = opt_value(argc, argv, &i, "--format", &v)) != 0) {
			if (k < 0)
				return graph_usage_error("option '--format' needs a value (dot, svg or png)");
			if (strcmp(v, "dot") && strcmp(v, "svg") && strcmp(v, "png"))
				return graph_usage_error("invalid value '%s' for --format (use dot, svg or png)", v);
			format = v;
		} else if ((k = opt_value(argc, argv, &i, "--output", &v)) != 0
			   || (k = opt_value(argc, argv, &i, "-o", &v)) != 0) {
			if (k < 0 || !*v)
				return graph_usage_error("option '%s' needs a file", a);
			output = v;
		} else if ((k = opt_value(argc, argv, &i, "--config", &v)) != 0) {
			if (k < 0 || !*v)
				return graph_usage_error("option '--config' needs a file");
			config_path = v;
		} else if ((k = opt_value(argc, argv, &i, "--stdin-filename", &v)) != 0) {
			if (k < 0 || !*v)
				return graph_usage_error("option '--stdin-filename' needs a name");
			stdin_name = v;
		} else {
			return graph_usage_error("unknown option '%s'", a);
		}
	}
	if (!file)
		return graph_usage_error("no input file");
	int render = strcmp(format, "dot") != 0;
	char *dot = NULL;
	if (render && !(dot = graph_find_dot()))
		return graph_error("--format %s needs Graphviz's 'dot', which is not installed.\n"
				   "Install Graphviz with: apt-get install graphviz   (as root; otherwise: "
				   "sudo apt-get install graphviz)\n"
				   "or print the DOT text (no --format) and render it elsewhere.", format);
	if (render && !output && strcmp(format, "png") == 0 && isatty(STDOUT_FILENO)) {
		free(dot);
		return graph_usage_error("not writing PNG to a terminal: use -o FILE or redirect the output");
	}
	if (output && strcmp(file, "-") && outfile_same_file(output, file)) {
		free(dot);
		return graph_error("'%s' is the input file; refusing to overwrite it", output);
	}

	if (walk_kind(file) & WALK_DOCUMENTS) {
		free(dot);
		return graph_error("%s: a %s document holds no training story; graph draws .loss files", file,
				   walk_kind(file) == WALK_MARKDOWN ? "Markdown" : "plain-text");
	}
	char why[512];
	source src;
	diag_list diags;
	int rc = 2;
	diag_list_init(&diags);
	if (source_read(&src, file, why, sizeof why) < 0) {
		source_from_buffer(&src, file, "", 0);
		diag_add_file(&diags, &src, SEV_ERROR, "LS002", "%s", why);
		diag_render_text(stderr, &diags, 0);
		goto out_src;
	}
	ast_file *f = parse_source(&src, &diags, PARSE_DEFAULT_MAX_ERRORS);
	int unparsed = f->syntax_errors > 0;
	for (size_t i = 0; i < diags.n; i++)
		unparsed |= !strcmp(diags.items[i].code, "LS001") || !strcmp(diags.items[i].code, "LS002");
	if (unparsed) {
		diag_sort(&diags);
		diag_render_text(stderr, &diags, 0);
		graph_error("%s: no graph: fix the errors above first", src.path);
		goto out_ast;
	}
	diag_list_free(&diags);
	diag_list_init(&diags);
	int std = strcmp(file, "-") == 0;
	const char *name = std && stdin_name ? stdin_name : file;
	if (graph_findings(f, &diags, name, config_path, no_config) < 0)
		goto out_ast;

	/* The DOT text, in memory: it is the output, or dot's input. */
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem)
		xalloc_die();
	const char *title = std && stdin_name ? stdin_name : src.path, *slash = strrchr(title, '/');
	int werr = graph_dot(mem, f, &diags, slash ? slash + 1 : title);
	/* A memory stream fails only when it cannot grow its buffer. */
	if (fclose(mem) != 0 || werr)
		xalloc_die();

	outfile_handle_signals();

	outfile o;
	memset(&o, 0, sizeof o);
	if (output && outfile_open(&o, output, why, sizeof why) < 0) {
		graph_error("cannot write '%s': %s", output, why);
		free(text);
		goto out_ast;
	}
	FILE *dest = output ? o.f : stdout;
	int ok;
	if (render) {
		fflush(dest);
		ok = graph_run_dot(dot, format, text, len, fileno(dest)) == 0;
	} else {
		ok = fwrite(text, 1, len, dest) == len;
		if (!ok)
			graph_error("error writing %s: %s", output ? output : "standard output", strerror(errno));
	}
	if (ok && output && outfile_commit(&o, why, sizeof why) < 0) {
		graph_error("cannot write '%s': %s", output, why);
		ok = 0;
	}
	if (ok && !output && fflush(stdout) != 0) {
		graph_error("error writing standard output: %s", strerror(errno));
		ok = 0;
	}
	outfile_abort(&o);
	free(text);
	rc = ok ? 0 : 2;
out_ast:
	ast_file_free(f);
out_src:
	diag_list_free(&diags);
	source_free(&src);
	free(dot);
	return rc;
}
