/*
 * test_losscrc.c: .losscrc parsing (strict, with file:line), every key,
 * extend, the checks made once the rules are known, and discovery.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "losscrc.h"
#include "path.h"

static char err[512];

static int parse(lconfig *c, const char *text)
{
	err[0] = '\0';
	return config_parse(c, "proj/.losscrc", text, strlen(text), err, sizeof err);
}

static void test_keys_and_values(void **state)
{
	lconfig c;
	(void)state;
	assert_int_equal(parse(&c, "# team settings\nfail-on:  info   # strict\ndisable:  LS105, LS107\n"
				   "enable: LS107\nrules: ./our-rules\nrules: /abs/rules\n"
				   "format: json\n"), 0);
	assert_true(c.has_fail_on);
	assert_int_equal(c.fail_on, SEV_INFO);
	assert_int_equal(c.disable.n, 1);       /* the later 'enable: LS107' took LS107 out */
	assert_int_equal(c.enable.n, 1);
	assert_int_equal(c.nrules, 2);
	assert_string_equal(c.rules[0], "proj/./our-rules");
	assert_string_equal(c.rules[1], "/abs/rules");
	assert_string_equal(c.format, "json");
	config_free(&c);
	/* continuation lines join a list */
	assert_int_equal(parse(&c, "disable: LS105,\n   LS107\n"), 0);
	assert_int_equal(c.disable.n, 2);
	config_free(&c);
}

static void test_errors_name_file_and_line(void **state)
{
	lconfig c;
	(void)state;
	assert_int_equal(parse(&c, "fail-on: warning\ncolour: blue\n"), -1);
	assert_string_equal(err, "proj/.losscrc:2: error: unknown key 'colour' (keys: fail-on, format, enable, disable, "
				 "rules, severity, exclude, documents, include, per-file-ignores, extend, fmt-width)");
	assert_int_equal(parse(&c, "exlude: drafts\n"), -1);
	assert_string_equal(err, "proj/.losscrc:1: error: unknown key 'exlude' (did you mean 'exclude'?)");
	assert_int_equal(parse(&c, "severity: LS009=warning\nseverty: LS2=error\n"), -1);
	assert_string_equal(err, "proj/.losscrc:2: error: unknown key 'severty' (did you mean 'severity'?)");
	assert_int_equal(parse(&c, "\n\nfail-on: fatal\n"), -1);
	assert_string_equal(err, "proj/.losscrc:3: error: fail-on 'fatal' is not one of error, warning, info");
	assert_int_equal(parse(&c, "disable: LS1!\n"), -1);
	assert_non_null(strstr(err, ":1: error: 'LS1!' in disable"));
	assert_int_equal(parse(&c, "format: xml\n"), -1);
	assert_non_null(strstr(err, ":1: error: format 'xml'"));
	assert_int_equal(parse(&c, "format: json\nformat: text\n"), -1);
	assert_non_null(strstr(err, ":2: error: 'format' given twice"));
	assert_int_equal(parse(&c, "just words\n"), -1);
	assert_non_null(strstr(err, ":1: error: expected 'key: value'"));
	assert_int_equal(parse(&c, "  indented: x\n"), -1);
	assert_non_null(strstr(err, ":1: error: continuation line without a key"));
}

/* Each broken value gets its own message, at its line. */
static void test_value_errors(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "rules:\n", ":1: error: 'rules' needs a directory" },
		{ "severity: LS009=fatal\n", ":1: error: severity 'fatal' for LS009 is not one of error, warning, info" },
		{ "severity: LS009=aaaaaaaaaaaaaaaaaaaaaaaa\n", "is not one of error, warning, info" },
		{ "severity:\n", ":1: error: 'severity' needs CODE=LEVEL entries" },
		{ "per-file-ignores: : LS105\n", "a ':' with no path pattern before it" },
		{ "per-file-ignores: tests/**: other/**: LS105\n", "per-file-ignores: 'tests/**' names no codes" },
		{ "per-file-ignores: LS105\n", "per-file-ignores entries are 'GLOB: CODES'" },
		{ "per-file-ignores: tests/**:\n", "per-file-ignores: 'tests/**' names no codes" },
		{ "per-file-ignores:\n", "per-file-ignores entries are 'GLOB: CODES'" },
		{ "fail-on: error\r\nformat: xml\r\n", ":2: error: format 'xml'" },
		{ "extend:\n", ":1: error: 'extend' needs the path of a config file" },
		{ "severity: LS009 = warning, LS2\n", "severity entries are CODE=LEVEL (e.g. 'LS009=warning, LS2=error'), not 'LS2'" },
		{ "severity: LS009=loud\n", "severity 'loud' for LS009 is not one of error, warning, info" },
		{ "format: yaml\n", ":1: error: format 'yaml'" },
		{ "fmt-width: 12x\n", ":1: error: fmt-width" },
		{ "fmt-width: 5\n", ":1: error: fmt-width" },
		{ "exclude:\n", ":1: error: 'exclude' needs path patterns" },
		{ "severity: =warning\n", ":1: error: '' in severity is not a finding code or family" },
		{ "severity: LS009=\n", ":1: error: severity '' for LS009 is not one of error, warning, info" },
		{ "severity: LS9Q9=error\n",
		  ":1: error: 'LS9Q9' in severity is not a finding code or family (such as LS105 or LS2)" },
		{ "include:\n", ":1: error: 'include' needs path patterns (e.g. 'docs/**/*.md, MODEL_CARD.md')" },
		{ "documents:\n", ":1: error: 'documents' needs a value: true, false, or md and txt" },
		{ "fmt-width: 99999999999999999999\n",
		  ":1: error: fmt-width '99999999999999999999' is not a number from 40 to 1000" },
		{ "fmt-width: 1001\n", ":1: error: fmt-width '1001' is not a number from 40 to 1000" },
	};
	lconfig c;
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(parse(&c, cases[i].text), -1);
		if (!strstr(err, cases[i].want))
			fail_msg("config %zu: got '%s', want '%s'", i, err, cases[i].want);
	}
	/* A NUL byte is refused with its line. */
	assert_int_equal(config_parse(&c, "x/.losscrc", "fail-on: info\nformat: js\0n\n", 25, err, sizeof err), -1);
	assert_string_equal(err, "x/.losscrc:2: error: NUL byte in config file");
	/* A message longer than the buffer is cut, not overrun. */
	char tiny[12];
	memset(tiny, 'x', sizeof tiny);
	assert_int_equal(config_parse(&c, "a/very/long/path/.losscrc", "colour: blue\n", 13, tiny, sizeof tiny), -1);
	assert_int_equal(strlen(tiny), sizeof tiny - 1);
}

/* config_load: what cannot be read, and extend chains that cannot be followed. */
static void test_load_and_extend_failures(void **state)
{
	char dir[] = "/tmp/test_losscrc.XXXXXX", path[512], cmd[600];
	lconfig c;
	FILE *f;
	(void)state;
	assert_non_null(mkdtemp(dir));
	/* a directory is not a config file */
	assert_int_equal(config_load(&c, dir, err, sizeof err), -1);
	assert_non_null(strstr(err, ": error: cannot read config file: not a regular file"));
	/* a missing file */
	snprintf(path, sizeof path, "%s/none", dir);
	assert_int_equal(config_load(&c, path, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot read config file: No such file or directory"));
	/* extend naming a missing file: the error is at the extend line */
	snprintf(path, sizeof path, "%s/a.losscrc", dir);
	f = fopen(path, "w");
	fputs("fail-on: info\nextend: missing.losscrc\n", f);
	fclose(f);
	assert_int_equal(config_load(&c, path, err, sizeof err), -1);
	assert_non_null(strstr(err, "a.losscrc:2: error: cannot read '"));
	assert_non_null(strstr(err, "missing.losscrc' (extend): No such file or directory"));
	/* a file extending itself is a cycle */
	f = fopen(path, "w");
	fputs("extend: a.losscrc\n", f);
	fclose(f);
	assert_int_equal(config_load(&c, path, err, sizeof err), -1);
	assert_non_null(strstr(err, "a.losscrc:1: error: 'extend: a.losscrc' makes a cycle"));
	/* a config read in pieces: more than one 8 KiB buffer */
	f = fopen(path, "w");
	for (int i = 0; i < 1000; i++)
		fprintf(f, "# comment line %d, long enough to fill several buffers\n", i);
	fputs("fail-on: info\n", f);
	fclose(f);
	assert_int_equal(config_load(&c, path, err, sizeof err), 0);
	assert_int_equal(c.fail_on, SEV_INFO);
	config_free(&c);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_severity_exclude_per_file(void **state)
{
	lconfig c;
	sel_list l = { NULL, 0 };
	char *abs;
	(void)state;
	assert_int_equal(parse(&c, "severity: LS009=warning, LS2 = error,\n  LS201=info\n"
				   "exclude: drafts, specs/old/**\nexclude: *.gen.loss\n"
				   "per-file-ignores: tests/**: LS105, LS107\n"
				   "                  scratch.loss:LS1 legacy/*.loss: LS2xx\n"), 0);
	assert_int_equal(c.nseverity, 3);
	assert_int_equal(config_severity(&c, "LS009", SEV_INFO), SEV_WARNING);
	assert_int_equal(config_severity(&c, "LS211", SEV_WARNING), SEV_ERROR);
	assert_int_equal(config_severity(&c, "LS201", SEV_WARNING), SEV_INFO);      /* longest wins */
	assert_int_equal(config_severity(&c, "LS301", SEV_ERROR), SEV_ERROR);       /* untouched */
	assert_int_equal(c.nexclude, 3);
	abs = path_absolute("proj/specs/drafts/a.loss");
	assert_true(config_excluded(&c, abs));
	free(abs);
	abs = path_absolute("proj/specs/old/x/a.loss");
	assert_true(config_excluded(&c, abs));
	free(abs);
	abs = path_absolute("proj/specs/new/a.gen.loss");
	assert_true(config_excluded(&c, abs));
	free(abs);
	abs = path_absolute("proj/specs/new/a.loss");
	assert_false(config_excluded(&c, abs));
	free(abs);
	abs = path_absolute("elsewhere/specs/old/a.loss");     /* relative to the config's directory */
	assert_false(config_excluded(&c, abs));
	free(abs);
	assert_int_equal(c.nfile_ignores, 3);
	abs = path_absolute("proj/tests/unit/a.loss");
	config_file_ignores(&c, abs, &l);
	free(abs);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.pats[0], "LS105");
	sel_list_free(&l);
	abs = path_absolute("proj/legacy/a.loss");
	config_file_ignores(&c, abs, &l);
	free(abs);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.pats[0], "LS2");
	sel_list_free(&l);
	config_free(&c);
	/* bad values name the line */
	assert_int_equal(parse(&c, "\nseverity: LS009=fatal\n"), -1);
	assert_string_equal(err, "proj/.losscrc:2: error: severity 'fatal' for LS009 is not one of error, warning, info");
	assert_int_equal(parse(&c, "severity: LS009\n"), -1);
	assert_non_null(strstr(err, ":1: error: severity entries are CODE=LEVEL"));
	assert_int_equal(parse(&c, "per-file-ignores: LS105\n"), -1);
	assert_non_null(strstr(err, ":1: error: per-file-ignores entries are 'GLOB: CODES'"));
	assert_int_equal(parse(&c, "per-file-ignores: a.loss: b.loss: LS1\n"), -1);
	assert_non_null(strstr(err, "'a.loss' names no codes"));
	assert_int_equal(parse(&c, "exclude:\n"), -1);
	assert_non_null(strstr(err, ":1: error: 'exclude' needs path patterns"));
}

/* enable/disable: the later word for one pattern wins, also across extend. */
/* documents / include: which documents a directory walk lints (issue 17). */
static void test_documents_and_include(void **state)
{
	lconfig c;
	char *abs;
	(void)state;
	assert_int_equal(parse(&c, "fail-on: info\n"), 0);
	assert_int_equal(c.documents, 0);       /* off unless said */
	config_free(&c);
	assert_int_equal(parse(&c, "documents: true\n"), 0);
	assert_int_equal(c.documents, CFG_DOC_MARKDOWN);
	config_free(&c);
	assert_int_equal(parse(&c, "documents: md, txt\ninclude: docs/**/*.txt, CARD.md\n"), 0);
	assert_int_equal(c.documents, CFG_DOC_MARKDOWN | CFG_DOC_TEXT);
	assert_int_equal(c.ninclude, 2);
	abs = path_absolute("proj/docs/a/b.txt");
	assert_true(config_included(&c, abs));
	free(abs);
	abs = path_absolute("proj/CARD.md");
	assert_true(config_included(&c, abs));
	free(abs);
	abs = path_absolute("proj/other/CARD2.md");
	assert_false(config_included(&c, abs));
	free(abs);
	config_free(&c);
	assert_int_equal(parse(&c, "documents: false\n"), 0);
	assert_int_equal(c.documents, 0);
	config_free(&c);
	assert_int_equal(parse(&c, "fail-on: info\ndocuments: maybe\n"), -1);
	assert_string_equal(err, "proj/.losscrc:2: error: documents 'maybe' is not one of true, false, md, txt");
	config_free(&c);
	assert_int_equal(parse(&c, "documents: true\ndocuments: false\n"), -1);
	config_free(&c);
	/* every spelling of each kind, and none */
	static const struct {
		const char *v;
		unsigned want;
	} kinds[] = {
		{ "yes", CFG_DOC_MARKDOWN }, { "markdown", CFG_DOC_MARKDOWN }, { "md", CFG_DOC_MARKDOWN },
		{ "text", CFG_DOC_TEXT }, { "txt", CFG_DOC_TEXT }, { "markdown, text", CFG_DOC_MARKDOWN | CFG_DOC_TEXT },
		{ "no", 0 }, { "none", 0 },
	};
	char text[64];
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		snprintf(text, sizeof text, "documents: %s\n", kinds[i].v);
		assert_int_equal(parse(&c, text), 0);
		assert_int_equal(c.documents, kinds[i].want);
		config_free(&c);
	}
	/* a long wrong value is cut in the message */
	assert_int_equal(parse(&c, "documents: markdownmarkdownmarkdownmarkdownmarkdown-and-more\n"), -1);
	assert_string_equal(err, "proj/.losscrc:1: error: documents 'markdownmarkdownmarkdownmarkdownmarkdown' is not "
				 "one of true, false, md, txt");
	config_free(&c);
}

static void test_enable_disable_later_wins(void **state)
{
	lconfig c;
	(void)state;
	assert_int_equal(parse(&c, "disable: LS105, LS107\nenable: LS105\n"), 0);
	assert_int_equal(c.disable.n, 1);
	assert_string_equal(c.disable.pats[0], "LS107");
	assert_int_equal(c.enable.n, 1);
	config_free(&c);
}

/* Codes are checked once the rules are known, with file, line and a suggestion. */
static void test_codes_checked_against_known(void **state)
{
	lconfig c;
	sel_known k = { NULL, 0, 0 };
	(void)state;
	sel_known_add(&k, "LS009");
	sel_known_add(&k, "LS201");
	sel_known_add(&k, "LS215");
	sel_known_add(&k, "LS211");
	sel_known_add(&k, "LS301");
	sel_known_add(&k, "LS901");
	assert_int_equal(parse(&c, "disable: LS2, LS9\nseverity: LS009=warning\n"), 0);
	assert_int_equal(config_check_codes(&c, &k, err, sizeof err), 0);
	config_free(&c);
	assert_int_equal(parse(&c, "# x\n\nseverity: LS216=error\n"), 0);
	assert_int_equal(config_check_codes(&c, &k, err, sizeof err), -1);
	assert_string_equal(err, "proj/.losscrc:3: error: 'LS216' in severity: no finding code LS216 (did you mean LS215?)");
	config_free(&c);
	assert_int_equal(parse(&c, "per-file-ignores: t/**: LS7\n"), 0);
	assert_int_equal(config_check_codes(&c, &k, err, sizeof err), -1);
	assert_string_equal(err, "proj/.losscrc:1: error: 'LS7' in per-file-ignores: no finding code starts with LS7 "
				 "(families: LS0, LS2, LS3, LS9)");
	config_free(&c);
	sel_known_free(&k);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/*
 * A config names at most 64 rules directories, its extends included (lint
 * runs them beside its --rules): the 65th is an error at its line, never a
 * directory silently left out.
 */
static void test_rules_directories_limit(void **state)
{
	char text[4096], top[PATH_MAX], path[PATH_MAX + 64];
	size_t n = 0;
	lconfig c;
	(void)state;
	for (int i = 1; i <= 64; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "rules: r%d\n", i);
	assert_int_equal(parse(&c, text), 0);
	assert_int_equal(c.nrules, 64);
	config_free(&c);
	snprintf(text + n, sizeof text - n, "rules: r65\n");
	assert_int_equal(parse(&c, text), -1);
	assert_string_equal(err, "proj/.losscrc:65: error: more than 64 'rules' directories (extends included)");
	/* 40 in the parent and 25 here: the 25th line here is the 65th directory */
	strcpy(top, "/tmp/test_losscrc.XXXXXX");
	assert_non_null(mkdtemp(top));
	n = 0;
	for (int i = 1; i <= 40; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "rules: p%d\n", i);
	snprintf(path, sizeof path, "%s/base.losscrc", top);
	write_file(path, text);
	n = (size_t)snprintf(text, sizeof text, "extend: base.losscrc\n");
	for (int i = 1; i <= 25; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "rules: c%d\n", i);
	snprintf(path, sizeof path, "%s/.losscrc", top);
	write_file(path, text);
	assert_int_equal(config_load(&c, path, err, sizeof err), -1);
	if (!strstr(err, "/.losscrc:26: error: more than 64 'rules' directories"))
		fail_msg("got '%s'", err);
	snprintf(path, sizeof path, "rm -rf '%s'", top);
	assert_int_equal(system(path), 0);
}

/* extend: the parent first, this file on top; errors name the right file; cycles are caught. */
static void test_fmt_width(void **state)
{
	lconfig c;
	(void)state;
	assert_int_equal(parse(&c, "fail-on: info\n"), 0);
	assert_int_equal(c.fmt_width, 0);       /* absent: fmt uses its default */
	config_free(&c);
	assert_int_equal(parse(&c, "fmt-width: 100\n"), 0);
	assert_int_equal(c.fmt_width, 100);
	config_free(&c);
	assert_int_equal(parse(&c, "fmt-width: 39\n"), -1);
	assert_string_equal(err, "proj/.losscrc:1: error: fmt-width '39' is not a number from 40 to 1000");
	assert_int_equal(parse(&c, "fmt-width: 80x\n"), -1);
	assert_non_null(strstr(err, ":1: error: fmt-width '80x'"));
	assert_int_equal(parse(&c, "fmt-width: 80\nfmt-width: 90\n"), -1);
	assert_non_null(strstr(err, ":2: error: 'fmt-width' given twice"));
	assert_int_equal(parse(&c, "fmt_width: 80\n"), -1);
	assert_string_equal(err, "proj/.losscrc:1: error: unknown key 'fmt_width' (did you mean 'fmt-width'?)");
}

static void test_extend(void **state)
{
	char top[PATH_MAX], path[PATH_MAX + 64], path2[PATH_MAX + 64];
	lconfig c;
	(void)state;
	strcpy(top, "/tmp/test_losscrc.XXXXXX");
	assert_non_null(mkdtemp(top));
	snprintf(path, sizeof path, "%s/sub", top);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/.losscrc", top);
	write_file(path, "fail-on: info\nformat: json\ndisable: LS105, LS107\nrules: team-rules\n"
		   "exclude: drafts\nseverity: LS009=warning\n");
	snprintf(path, sizeof path, "%s/sub/.losscrc", top);
	write_file(path, "# the subproject keeps the root's settings\nextend: ../.losscrc\nfail-on: error\n"
		   "enable: LS107\nrules: more-rules\nseverity: LS009=error\n");
	assert_int_equal(config_load(&c, path, err, sizeof err), 0);
	assert_int_equal(c.fail_on, SEV_ERROR);            /* replaced */
	assert_string_equal(c.format, "json");             /* inherited */
	assert_int_equal(c.disable.n, 1);                  /* LS107 re-enabled here */
	assert_string_equal(c.disable.pats[0], "LS105");
	assert_int_equal(c.nrules, 2);
	assert_non_null(strstr(c.rules[0], "/sub/../team-rules"));   /* relative to the root file */
	assert_non_null(strstr(c.rules[1], "/sub/more-rules"));
	assert_int_equal(c.nexclude, 1);
	assert_null(strstr(c.exclude[0].base, "/sub"));    /* the root's directory */
	assert_int_equal(config_severity(&c, "LS009", SEV_INFO), SEV_ERROR);
	assert_int_equal(c.nextended, 1);
	config_free(&c);
	/* an error in the parent names the parent's line */
	snprintf(path2, sizeof path2, "%s/.losscrc", top);
	write_file(path2, "fail-on: warning\nformat: xml\n");
	assert_int_equal(config_load(&c, path, err, sizeof err), -1);
	assert_non_null(strstr(err, "/sub/../.losscrc:2: error: format 'xml'"));
	/* a missing parent names the extend line */
	snprintf(path, sizeof path, "%s/sub/.losscrc", top);
	write_file(path, "\nextend: nowhere.rc\n");
	assert_int_equal(config_load(&c, path, err, sizeof err), -1);
	assert_non_null(strstr(err, "/sub/.losscrc:2: error: cannot read '"));
	assert_non_null(strstr(err, "nowhere.rc' (extend): No such file or directory"));
	/* cycles */
	write_file(path, "extend: ../.losscrc\n");
	write_file(path2, "extend: sub/.losscrc\n");
	assert_int_equal(config_load(&c, path, err, sizeof err), -1);
	assert_non_null(strstr(err, "makes a cycle"));
	write_file(path, "extend: .losscrc\n");
	assert_int_equal(config_load(&c, path, err, sizeof err), -1);
	assert_non_null(strstr(err, "/sub/.losscrc:1: error: 'extend: .losscrc' makes a cycle"));
	/* a FIFO is refused at once, not waited on */
	snprintf(path2, sizeof path2, "%s/fifo", top);
	assert_int_equal(mkfifo(path2, 0600), 0);
	write_file(path, "extend: ../fifo\n");
	assert_int_equal(config_load(&c, path, err, sizeof err), -1);
	assert_non_null(strstr(err, "(extend): not a regular file"));
	write_file(path, "extend: a\nextend: b\n");
	assert_int_equal(config_load(&c, path, err, sizeof err), -1);
	assert_non_null(strstr(err, ":2: error: 'extend' given twice (first on line 1)"));
	snprintf(path, sizeof path, "rm -rf '%s'", top);
	assert_int_equal(system(path), 0);
}

static void test_discovery_walks_up_and_stops_at_first(void **state)
{
	char top[PATH_MAX], path[PATH_MAX + 64], *found;
	FILE *f;
	(void)state;
	strcpy(top, "/tmp/test_losscrc.XXXXXX");
	assert_non_null(mkdtemp(top));
	snprintf(path, sizeof path, "%s/a", top);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/a/b", top);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/.losscrc", top);
	f = fopen(path, "w");
	fclose(f);
	snprintf(path, sizeof path, "%s/a/b/x.loss", top);
	found = config_find(path);
	assert_non_null(found);
	assert_non_null(strstr(found, "/.losscrc"));
	assert_null(strstr(found, "/a/.losscrc"));
	free(found);
	/* a nearer one wins */
	snprintf(path, sizeof path, "%s/a/.losscrc", top);
	f = fopen(path, "w");
	fclose(f);
	snprintf(path, sizeof path, "%s/a/b/x.loss", top);
	found = config_find(path);
	assert_non_null(strstr(found, "/a/.losscrc"));
	free(found);
	snprintf(path, sizeof path, "rm -rf '%s'", top);
	assert_int_equal(system(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_and_values),
		cmocka_unit_test(test_errors_name_file_and_line),
		cmocka_unit_test(test_value_errors),
		cmocka_unit_test(test_load_and_extend_failures),
		cmocka_unit_test(test_fmt_width),
		cmocka_unit_test(test_severity_exclude_per_file),
		cmocka_unit_test(test_enable_disable_later_wins),
		cmocka_unit_test(test_codes_checked_against_known),
		cmocka_unit_test(test_extend),
		cmocka_unit_test(test_rules_directories_limit),
		cmocka_unit_test(test_documents_and_include),
		cmocka_unit_test(test_discovery_walks_up_and_stops_at_first),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
