/*
 * parser.y: the LossSpec grammar (LOSSSPEC.md), a pure bison parser.
 *
 * Actions only build the tree in the file's arena; nothing is freed
 * individually, so no %destructor is needed.  Syntax errors are queued as
 * LS001 findings naming what was expected; recovery resynchronises at
 * ';' (an item) and '}' (a block), so one bad item costs one finding.
 *
 * Nesting depth is bounded twice: the scanner bounds open parentheses and
 * prefix operators (so bison's stack stays small), and the actions bound
 * the depth of the tree they build (so later recursive passes never see
 * more than PARSE_MAX_DEPTH levels, even for a long chain of '+').
 */
%define api.pure full
%define api.location.type {span}
%define parse.error custom
%define parse.lac full
%locations
%expect 0
%param {struct pctx *ctx}

%code requires {
#include "ast.h"
#include "source.h"
#include "pctx.h"

/* An expression under construction with the height of its tree. */
typedef struct pc_ex {
	ast_expr *e;
	int height;
} pc_ex;

typedef struct pc_argx {
	ast_arg arg;
	int height;
} pc_argx;

/* A size as written in a type: a number (possibly negative, to report it
   as a bad size rather than a syntax error) or a name. */
typedef struct pc_dim {
	double v;
	int neg;
	span num;               /* the number as written, without its sign */
	ast_name name;          /* name.s != NULL: a named size */
} pc_dim;
}

%code provides {
int yylex(YYSTYPE *lval, YYLTYPE *lloc, struct pctx *ctx);
int yyparse(struct pctx *ctx);
}

%code {
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
/* bison's stack growth allocates through xalloc: out of memory ends the
   run as everywhere else, not as a "memory exhausted" syntax error. */
#define YYMALLOC xmalloc
#define YYFREE free

#include "pctx.h"
#include "suggest.h"

#define YYLLOC_DEFAULT(Cur, Rhs, N) \
	do { \
		if (N) { \
			(Cur).start = YYRHSLOC(Rhs, 1).start; \
			(Cur).end = YYRHSLOC(Rhs, N).end; \
		} else { \
			(Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end; \
		} \
	} while (0)

static ast_name pc_name(struct pctx *c, span sp);
static ast_item *pc_item(struct pctx *c, ast_item_kind k, span sp);
static void pc_decl(struct pctx *c, ast_decl_kind k, span sp, ast_name name,
		    ast_name target, pc_items items);
static pc_ex pc_leaf(struct pctx *c, ast_expr_kind k, span sp);
static pc_ex pc_unary(struct pctx *c, ast_expr_kind k, span sp, pc_ex a);
static pc_ex pc_binary(struct pctx *c, ast_expr_kind k, span sp, pc_ex a, pc_ex b);
static ast_text pc_join(struct pctx *c, pc_pieces p, span sp);
static ast_type pc_type(struct pctx *c, ast_type_kind k, span sp, pc_dim d, span dsp);
static ast_type pc_type2(struct pctx *c, span sp, pc_dim d0, span dsp0, pc_dim d1, span dsp1);
static pc_ex pc_index(struct pctx *c, span sp, pc_ex a, pc_ex i);
static void pc_items_add(pc_items *l, ast_item *it);
static void pc_names_add(struct pctx *c, pc_names *l, ast_name n);
static void pc_names_finish(struct pctx *c, ast_item *it, pc_names l);
static void pc_check_height(struct pctx *c, pc_ex *x);
static void pc_args_add(struct pctx *c, pc_args *l, pc_argx a);
static int pc_args_finish(struct pctx *c, ast_expr *e, pc_args l);
static void pc_exprs_add(struct pctx *c, pc_exprs *l, pc_ex x);
static int pc_exprs_finish(struct pctx *c, ast_expr *e, pc_exprs l);
static void pc_pieces_add(struct pctx *c, pc_pieces *l, span sp);
static void yyerror(const span *loc, struct pctx *c, const char *msg);
}

%union {
	double num;
	pc_dim dim;
	int choice;
	ast_expr *weight;
	ast_name name;
	ast_type type;
	ast_range range;
	ast_text text;
	ast_item *item;
	pc_ex ex;
	pc_argx arg;
	pc_items items;
	pc_pieces pieces;
	pc_args args;
	pc_exprs exprs;
	pc_names names;
}

/* Keep the keywords contiguous: the scanner tests the range KW_DATASET..KW_IN. */
%token KW_DATASET "'dataset'" KW_LOSS "'loss'" KW_GOAL "'goal'"
%token KW_RATIONALE "'rationale'" KW_AGENT "'agent'" KW_ABOUT "'about'"
%token KW_INPUT "'input'" KW_LABEL "'label'" KW_SOURCE "'source'" KW_ON "'on'"
%token KW_OUTPUT "'output'" KW_PARAM "'param'" KW_LET "'let'" KW_VALUE "'value'"
%token KW_REDUCE "'reduce'" KW_MEAN "'mean'" KW_SUM "'sum'" KW_NONE "'none'"
%token KW_PRECISION "'precision'" KW_FLOAT32 "'float32'" KW_FLOAT64 "'float64'"
%token KW_CLAIM "'claim'" KW_FOR "'for'" KW_USES "'uses'" KW_SETUP "'setup'"
%token KW_BECAUSE "'because'" KW_TRAINED_BY "'trained_by'"
%token KW_CARES_ABOUT "'cares_about'" KW_REGISTER "'register'"
%token KW_PREDICTIONS "'predictions'" KW_OTHER "'other'" KW_REAL "'real'"
%token KW_CLASS "'class'" KW_PROB "'prob'" KW_BINARY "'binary'" KW_SIGN "'sign'"
%token KW_SIZE "'size'" KW_BATCH "'batch'" KW_PER "'per'" KW_WEIGHT "'weight'"
%token KW_IN "'in'"
%token IDENT "a name"
%token STRING "a string"
%token <num> INT "an integer"
%token <num> FLOAT "a number"
%token INVALID "an invalid token"
%token OP_LE "'<='" OP_GE "'>='" OP_EQ "'=='" OP_NE "'!='"

%nonassoc '<' '>' OP_LE OP_GE OP_EQ OP_NE
%left '+' '-'
%left '*' '/' '@'
%precedence NEG
%right '^'
%precedence '['

%type <name> word
%type <item> ds_item loss_item goal_item rat_item agent_item about
%type <items> ds_items loss_items goal_items rat_items agent_items
%type <ex> expr
%type <type> type
%type <range> range_opt
%type <num> number signed
%type <dim> dim
%type <text> text
%type <pieces> pieces
%type <choice> reduce precision level_opt
%type <weight> weight_opt
%type <item> care
%type <args> args args_opt
%type <arg> arg
%type <exprs> exprs
%type <names> names

%%

file:
	  %empty
	| file decl
	;

decl:
	  KW_DATASET word '{' ds_items close
		{ pc_decl(ctx, DECL_DATASET, @$, $2, (ast_name){0}, $4); }
	| KW_LOSS word KW_ON word '{' loss_items close
		{ pc_decl(ctx, DECL_LOSS, @$, $2, $4, $6); }
	| KW_GOAL word '{' goal_items close
		{ pc_decl(ctx, DECL_GOAL, @$, $2, (ast_name){0}, $4); }
	| KW_RATIONALE word KW_FOR word '{' rat_items close
		{ pc_decl(ctx, DECL_RATIONALE, @$, $2, $4, $6); }
	| KW_AGENT word '{' agent_items close
		{ pc_decl(ctx, DECL_AGENT, @$, $2, (ast_name){0}, $4); }
	| error '}'
		{ yyerrok; }
	;

/* A block ends at '}', or after an error at the '}' that ends it. */
close:
	  '}'
	| error '}'
		{ yyerrok; }
	;

ds_items:
	  %empty                { $$ = (pc_items){0}; }
	| ds_items ds_item      { $$ = $1; pc_items_add(&$$, $2); }
	;

ds_item:
	  about
	| KW_SIZE word ';'
		{ $$ = pc_item(ctx, IT_SIZE, @$); $$->name = $2; }
	| KW_INPUT word ':' type range_opt level_opt ';'
		{
			$$ = pc_item(ctx, IT_INPUT, @$); $$->name = $2; $$->type = $4; $$->range = $5;
			$$->choice = $6; $$->choice_span = @6;
		}
	| KW_LABEL word ':' type range_opt ';'
		{ $$ = pc_item(ctx, IT_LABEL, @$); $$->name = $2; $$->type = $4; $$->range = $5; }
	| KW_SOURCE text ';'
		{ $$ = pc_item(ctx, IT_SOURCE, @$); $$->text = $2; }
	| error ';'
		{ $$ = NULL; yyerrok; }
	;

about:
	  KW_ABOUT text ';'
		{ $$ = pc_item(ctx, IT_ABOUT, @$); $$->text = $2; }
	;

loss_items:
	  %empty                { $$ = (pc_items){0}; }
	| loss_items loss_item  { $$ = $1; pc_items_add(&$$, $2); }
	;

loss_item:
	  about
	| KW_BATCH word ';'
		{ $$ = pc_item(ctx, IT_BATCH, @$); $$->name = $2; }
	| KW_SIZE word ';'
		{ $$ = pc_item(ctx, IT_SIZE, @$); $$->name = $2; }
	| KW_OUTPUT word ':' type range_opt level_opt ';'
		{
			$$ = pc_item(ctx, IT_OUTPUT, @$); $$->name = $2; $$->type = $4; $$->range = $5;
			$$->choice = $6; $$->choice_span = @6;
		}
	| KW_PARAM word ':' type '=' expr ';'
		{ $$ = pc_item(ctx, IT_PARAM, @$); $$->name = $2; $$->type = $4; $$->expr = $6.e; }
	| KW_LET word '=' expr ';'
		{ $$ = pc_item(ctx, IT_LET, @$); $$->name = $2; $$->expr = $4.e; }
	| KW_VALUE '=' expr ';'
		{ $$ = pc_item(ctx, IT_VALUE, @$); $$->expr = $3.e; }
	| KW_REDUCE reduce weight_opt ';'
		{
			$$ = pc_item(ctx, IT_REDUCE, @$); $$->choice = $2; $$->choice_span = @2;
			$$->expr = $3;
		}
	| KW_PRECISION precision ';'
		{ $$ = pc_item(ctx, IT_PRECISION, @$); $$->choice = $2; $$->choice_span = @2; }
	| KW_CLAIM names ';'
		{ $$ = pc_item(ctx, IT_CLAIM, @$); pc_names_finish(ctx, $$, $2); }
	| error ';'
		{ $$ = NULL; yyerrok; }
	;

reduce:
	  KW_MEAN               { $$ = RED_MEAN; }
	| KW_SUM                { $$ = RED_SUM; }
	| KW_NONE               { $$ = RED_NONE; }
	;

precision:
	  KW_FLOAT32            { $$ = PREC_FLOAT32; }
	| KW_FLOAT64            { $$ = PREC_FLOAT64; }
	;

/* `per batch`: one value for the whole batch (lossspec(5) BATCHES). */
level_opt:
	  %empty                { $$ = LEVEL_EXAMPLE; }
	| KW_PER KW_BATCH       { $$ = LEVEL_BATCH; }
	;

weight_opt:
	  %empty                { $$ = NULL; }
	| KW_WEIGHT expr        { $$ = $2.e; }
	;

goal_items:
	  %empty                { $$ = (pc_items){0}; }
	| goal_items goal_item  { $$ = $1; pc_items_add(&$$, $2); }
	;

goal_item:
	  about
	| error ';'             { $$ = NULL; yyerrok; }
	;

rat_items:
	  %empty                { $$ = (pc_items){0}; }
	| rat_items rat_item    { $$ = $1; pc_items_add(&$$, $2); }
	;

rat_item:
	  about
	| KW_USES names ';'
		{ $$ = pc_item(ctx, IT_USES, @$); pc_names_finish(ctx, $$, $2); }
	| KW_SETUP text ';'
		{ $$ = pc_item(ctx, IT_SETUP, @$); $$->text = $2; }
	| KW_BECAUSE text ';'
		{ $$ = pc_item(ctx, IT_BECAUSE, @$); $$->text = $2; }
	| error ';'
		{ $$ = NULL; yyerrok; }
	;

agent_items:
	  %empty                { $$ = (pc_items){0}; }
	| agent_items agent_item { $$ = $1; pc_items_add(&$$, $2); }
	;

agent_item:
	  about
	| KW_TRAINED_BY word ';'
		{ $$ = pc_item(ctx, IT_TRAINED_BY, @$); $$->name = $2; }
	| KW_CARES_ABOUT care ';'
		{ $$ = $2; $$->span = @$; $$->kw = @1; }
	| error ';'
		{ $$ = NULL; yyerrok; }
	;

care:
	  KW_REGISTER
		{ $$ = pc_item(ctx, IT_CARES_ABOUT, @$); $$->choice = CARE_REGISTER; $$->choice_span = @1; }
	| KW_PREDICTIONS
		{ $$ = pc_item(ctx, IT_CARES_ABOUT, @$); $$->choice = CARE_PREDICTIONS; $$->choice_span = @1; }
	| KW_GOAL word
		{ $$ = pc_item(ctx, IT_CARES_ABOUT, @$); $$->choice = CARE_GOAL; $$->choice_span = @1; $$->name = $2; }
	| KW_OTHER text
		{ $$ = pc_item(ctx, IT_CARES_ABOUT, @$); $$->choice = CARE_OTHER; $$->choice_span = @1; $$->text = $2; }
	;

names:
	  word
		{ $$ = (pc_names){0}; pc_names_add(ctx, &$$, $1); }
	| names ',' word
		{ $$ = $1; pc_names_add(ctx, &$$, $3); }
	;

type:
	  KW_REAL               { $$ = (ast_type){.kind = TY_REAL, .dim = 0, .span = @$}; }
	| KW_REAL '[' dim ']'   { $$ = pc_type(ctx, TY_REAL, @$, $3, @3); }
	| KW_REAL '[' dim ',' dim ']'
		{ $$ = pc_type2(ctx, @$, $3, @3, $5, @5); }
	| KW_CLASS '[' dim ']'  { $$ = pc_type(ctx, TY_CLASS, @$, $3, @3); }
	| KW_PROB '[' dim ']'   { $$ = pc_type(ctx, TY_PROB, @$, $3, @3); }
	| KW_BINARY             { $$ = (ast_type){.kind = TY_BINARY, .dim = 0, .span = @$}; }
	| KW_SIGN               { $$ = (ast_type){.kind = TY_SIGN, .dim = 0, .span = @$}; }
	;

/* Any number is accepted here so a bad dimension gets a type error, not a
   syntax error; a name is a named size. */
dim:
	  number                { $$ = (pc_dim){$1, 0, @1, {0}}; }
	| '-' number            { $$ = (pc_dim){-$2, 1, @2, {0}}; }
	| word                  { $$ = (pc_dim){0, 0, @1, $1}; }
	;

range_opt:
	  %empty                { $$ = (ast_range){0}; }
	| KW_IN '[' signed ',' signed ']'
		{ $$ = (ast_range){.present = 1, .lo = $3, .hi = $5, .span = @$}; }
	;

signed:
	  number
	| '-' number            { $$ = -$2; }
	;

number:
	  INT
	| FLOAT
	;

text:
	  pieces                { $$ = pc_join(ctx, $1, @$); }
	;

pieces:
	  STRING
		{ $$ = (pc_pieces){0}; pc_pieces_add(ctx, &$$, @1); }
	| pieces STRING
		{ $$ = $1; pc_pieces_add(ctx, &$$, @2); }
	;

expr:
	  expr '+' expr         { $$ = pc_binary(ctx, EX_ADD, @$, $1, $3); }
	| expr '-' expr         { $$ = pc_binary(ctx, EX_SUB, @$, $1, $3); }
	| expr '*' expr         { $$ = pc_binary(ctx, EX_MUL, @$, $1, $3); }
	| expr '/' expr         { $$ = pc_binary(ctx, EX_DIV, @$, $1, $3); }
	| expr '^' expr         { $$ = pc_binary(ctx, EX_POW, @$, $1, $3); }
	| expr '@' expr         { $$ = pc_binary(ctx, EX_MATMUL, @$, $1, $3); }
	| expr '<' expr         { $$ = pc_binary(ctx, EX_LT, @$, $1, $3); }
	| expr OP_LE expr       { $$ = pc_binary(ctx, EX_LE, @$, $1, $3); }
	| expr '>' expr         { $$ = pc_binary(ctx, EX_GT, @$, $1, $3); }
	| expr OP_GE expr       { $$ = pc_binary(ctx, EX_GE, @$, $1, $3); }
	| expr OP_EQ expr       { $$ = pc_binary(ctx, EX_EQ, @$, $1, $3); }
	| expr OP_NE expr       { $$ = pc_binary(ctx, EX_NE, @$, $1, $3); }
	| '-' expr %prec NEG    { $$ = pc_unary(ctx, EX_NEG, @$, $2); }
	| expr '[' expr ']'     { $$ = pc_index(ctx, @$, $1, $3); }
	| word '(' args_opt ')'
		{
			$$ = pc_leaf(ctx, EX_CALL, @$);
			$$.e->name = $1;
			$$.height = pc_args_finish(ctx, $$.e, $3) + 1;
			pc_check_height(ctx, &$$);
		}
	| '(' expr ')'          { $$ = $2; $$.e->span = @$; }
	| '[' exprs ']'
		{
			$$ = pc_leaf(ctx, EX_VEC, @$);
			$$.height = pc_exprs_finish(ctx, $$.e, $2) + 1;
			pc_check_height(ctx, &$$);
		}
	| word                  { $$ = pc_leaf(ctx, EX_NAME, @$); $$.e->name = $1; }
	| number                { $$ = pc_leaf(ctx, EX_NUM, @$); $$.e->num = $1; }
	;

args_opt:
	  %empty                { $$ = (pc_args){0}; }
	| args
	;

args:
	  arg                   { $$ = (pc_args){0}; pc_args_add(ctx, &$$, $1); }
	| args ',' arg          { $$ = $1; pc_args_add(ctx, &$$, $3); }
	;

arg:
	  expr                  { $$ = (pc_argx){{.value = $1.e, .span = @$}, $1.height}; }
	| word '=' expr         { $$ = (pc_argx){{.name = $1, .value = $3.e, .span = @$}, $3.height}; }
	| word '=' STRING
		{
			/* The string's text (escapes joined) goes in the leaf's name,
			   so the tree holds it without the source. */
			pc_pieces p = {0};
			pc_pieces_add(ctx, &p, @3);
			ast_text t = pc_join(ctx, p, @3);
			pc_ex s = pc_leaf(ctx, EX_STR, @3);
			s.e->name = (ast_name){.s = t.bytes, .len = t.len, .span = @3};
			$$ = (pc_argx){{.name = $1, .value = s.e, .span = @$}, 1};
		}
	;

exprs:
	  expr                  { $$ = (pc_exprs){0}; pc_exprs_add(ctx, &$$, $1); }
	| exprs ',' expr        { $$ = $1; pc_exprs_add(ctx, &$$, $3); }
	;

/* Any keyword is a name where a name is expected: `mean(v)`, `input sum: real;`. */
word:
	  wordtok               { $$ = pc_name(ctx, @1); }
	;

wordtok:
	  IDENT
	| KW_DATASET | KW_LOSS | KW_GOAL | KW_RATIONALE | KW_AGENT | KW_ABOUT
	| KW_INPUT | KW_LABEL | KW_SOURCE | KW_ON | KW_OUTPUT | KW_PARAM | KW_LET
	| KW_VALUE | KW_REDUCE | KW_MEAN | KW_SUM | KW_NONE | KW_PRECISION
	| KW_FLOAT32 | KW_FLOAT64 | KW_CLAIM | KW_FOR | KW_USES | KW_SETUP
	| KW_BECAUSE | KW_TRAINED_BY | KW_CARES_ABOUT | KW_REGISTER
	| KW_PREDICTIONS | KW_OTHER | KW_REAL | KW_CLASS | KW_PROB | KW_BINARY
	| KW_SIGN | KW_SIZE | KW_BATCH | KW_PER | KW_WEIGHT | KW_IN
	;

%%

/* ---- tree building ------------------------------------------------ */

/*
 * Names are interned: each distinct identifier is copied into the file's
 * arena once and every occurrence points at that copy.  An expression-heavy
 * spec names the same few inputs and functions thousands of times; one
 * copy per occurrence was a quarter of its syntax tree.
 */
static size_t pc_name_hash(const char *s, size_t len)
{
	size_t h = 2166136261u;         /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static pc_intern *pc_intern_slot(pc_intern *slots, size_t cap, const char *s, size_t len)
{
	size_t i = pc_name_hash(s, len) & (cap - 1);
	while (slots[i].s && !(slots[i].len == len && memcmp(slots[i].s, s, len) == 0))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static const char *pc_intern_name(struct pctx *c, const char *s, size_t len)
{
	if (c->names_cap == 0 || (c->names_n + 1) * 2 > c->names_cap) {
		size_t cap = c->names_cap ? c->names_cap * 2 : 256;
		pc_intern *slots = xcalloc(cap, sizeof *slots);
		for (size_t i = 0; i < c->names_cap; i++)
			if (c->names[i].s)
				*pc_intern_slot(slots, cap, c->names[i].s, c->names[i].len) = c->names[i];
		free(c->names);
		c->names = slots;
		c->names_cap = cap;
	}
	pc_intern *slot = pc_intern_slot(c->names, c->names_cap, s, len);
	if (!slot->s) {
		slot->s = arena_strndup(c->ar, s, len);
		slot->len = len;
		c->names_n++;
	}
	return slot->s;
}

static ast_name pc_name(struct pctx *c, span sp)
{
	ast_name n = {0};
	n.len = sp.end - sp.start;
	n.s = pc_intern_name(c, c->src->text + sp.start, n.len);
	n.span = sp;
	return n;
}

static ast_item *pc_item(struct pctx *c, ast_item_kind k, span sp)
{
	ast_item *it = arena_alloc(c->ar, sizeof *it);
	it->kind = k;
	it->span = sp;
	/* Every item starts with its keyword, and keywords are single tokens. */
	it->kw.start = sp.start;
	it->kw.end = sp.start;
	while (it->kw.end < sp.end && it->kw.end < c->src->len) {
		char ch = c->src->text[it->kw.end];
		if (!((ch >= 'a' && ch <= 'z') || ch == '_' || (ch >= '0' && ch <= '9')))
			break;
		it->kw.end++;
	}
	return it;
}

static void pc_items_add(pc_items *l, ast_item *it)
{
	if (!it)
		return;
	if (l->tail)
		l->tail->next = it;
	else
		l->head = it;
	l->tail = it;
}

static void pc_decl(struct pctx *c, ast_decl_kind k, span sp, ast_name name,
		    ast_name target, pc_items items)
{
	ast_decl *d = arena_alloc(c->ar, sizeof *d);
	d->kind = k;
	d->span = sp;
	d->kw = (span){sp.start, sp.start + strlen(ast_decl_kind_name(k))};
	d->name = name;
	d->target = target;
	d->items = items.head;
	if (c->decl_tail)
		c->decl_tail->next = d;
	else
		c->file->decls = d;
	c->decl_tail = d;
	/*
	 * Streaming: the declaration is complete (the scanner may have read
	 * one token past its '}', but no action of the next declaration has
	 * run), so its expressions and texts, all in c->xar, go to the caller.
	 */
	if (c->on_decl) {
		arena *own = c->xar;
		c->xar = arena_new();
		c->on_decl(c->on_decl_ctx, c->file, d, own);
	}
}

static void pc_names_add(struct pctx *c, pc_names *l, ast_name n)
{
	pc_name_node *nd = c->spare_names;
	if (nd) {
		c->spare_names = nd->next;
		memset(nd, 0, sizeof *nd);
	} else
		nd = arena_alloc(c->ar, sizeof *nd);
	nd->name = n;
	if (l->tail)
		l->tail->next = nd;
	else
		l->head = nd;
	l->tail = nd;
	l->n++;
}

static void pc_names_finish(struct pctx *c, ast_item *it, pc_names l)
{
	it->names = arena_alloc(c->ar, l.n * sizeof *it->names);
	it->nnames = l.n;
	size_t i = 0;
	for (pc_name_node *nd = l.head; nd; nd = nd->next)
		it->names[i++] = nd->name;
	if (l.head) {
		l.tail->next = c->spare_names;
		c->spare_names = l.head;
	}
}

static void pc_check_height(struct pctx *c, pc_ex *x)
{
	/* Only the node that first crosses the bound is reported. */
	if (x->height == PARSE_MAX_DEPTH + 1)
		pc_syntax_error(c, x->e->span, "expression nested deeper than %d levels",
				PARSE_MAX_DEPTH);
}

static pc_ex pc_leaf(struct pctx *c, ast_expr_kind k, span sp)
{
	ast_expr *e = arena_alloc(c->xar, sizeof *e);
	e->kind = k;
	e->span = sp;
	return (pc_ex){e, 1};
}

static pc_ex pc_unary(struct pctx *c, ast_expr_kind k, span sp, pc_ex a)
{
	pc_ex x = pc_leaf(c, k, sp);
	x.e->a = a.e;
	x.height = a.height + 1;
	pc_check_height(c, &x);
	return x;
}

static pc_ex pc_binary(struct pctx *c, ast_expr_kind k, span sp, pc_ex a, pc_ex b)
{
	pc_ex x = pc_leaf(c, k, sp);
	x.e->a = a.e;
	x.e->b = b.e;
	x.height = (a.height > b.height ? a.height : b.height) + 1;
	pc_check_height(c, &x);
	return x;
}

/*
 * a[i].  A bare name as the index keeps the v1 form (the name in e->name,
 * no b), which is what z[y] always was; any other index is e->b.
 */
static pc_ex pc_index(struct pctx *c, span sp, pc_ex a, pc_ex i)
{
	if (i.e->kind == EX_NAME) {
		pc_ex x = pc_unary(c, EX_INDEX, sp, a);
		x.e->name = i.e->name;
		return x;
	}
	return pc_binary(c, EX_INDEX, sp, a, i);
}

static void pc_args_add(struct pctx *c, pc_args *l, pc_argx a)
{
	pc_arg_node *nd = c->spare_args;
	if (nd) {
		c->spare_args = nd->next;
		memset(nd, 0, sizeof *nd);
	} else
		nd = arena_alloc(c->ar, sizeof *nd);
	nd->arg = a.arg;
	nd->height = a.height;
	if (l->tail)
		l->tail->next = nd;
	else
		l->head = nd;
	l->tail = nd;
	l->n++;
}

/* Moves the arguments into an array; returns the tallest argument's height. */
static int pc_args_finish(struct pctx *c, ast_expr *e, pc_args l)
{
	int h = 0;
	e->args = l.n ? arena_alloc(c->xar, l.n * sizeof *e->args) : NULL;
	e->nargs = l.n;
	size_t i = 0;
	for (pc_arg_node *nd = l.head; nd; nd = nd->next) {
		e->args[i++] = nd->arg;
		int ah = nd->height;
		if (ah > h)
			h = ah;
	}
	if (l.head) {
		l.tail->next = c->spare_args;
		c->spare_args = l.head;
	}
	return h;
}

static void pc_exprs_add(struct pctx *c, pc_exprs *l, pc_ex x)
{
	pc_expr_node *nd = c->spare_exprs;
	if (nd) {
		c->spare_exprs = nd->next;
		memset(nd, 0, sizeof *nd);
	} else
		nd = arena_alloc(c->ar, sizeof *nd);
	nd->e = x.e;
	nd->height = x.height;
	if (l->tail)
		l->tail->next = nd;
	else
		l->head = nd;
	l->tail = nd;
	l->n++;
}

static int pc_exprs_finish(struct pctx *c, ast_expr *e, pc_exprs l)
{
	int h = 0;
	e->elems = arena_alloc(c->xar, l.n * sizeof *e->elems);
	e->nelems = l.n;
	size_t i = 0;
	for (pc_expr_node *nd = l.head; nd; nd = nd->next) {
		e->elems[i++] = nd->e;
		if (nd->height > h)
			h = nd->height;
	}
	if (l.head) {
		l.tail->next = c->spare_exprs;
		c->spare_exprs = l.head;
	}
	return h;
}

/* One size of a type: 1 and a finding when it is not a whole number in range.
   The finding quotes the number as written but not what lies between a
   minus and it (real[-  2] says "not -2"), so the message does not change
   when fmt closes that gap. */
static long pc_size(struct pctx *c, ast_type_kind k, pc_dim d, span dsp)
{
	const char *what = k == TY_REAL ? "vector length" : "class count";
	const char *sign = d.neg ? "-" : "";
	int len = (int)(d.num.end - d.num.start);
	const char *txt = c->src->text + d.num.start;
	/* Range first: converting a double beyond long (real[1e94]) is undefined. */
	if (!(d.v >= 1 && d.v <= (double)AST_MAX_DIM) || d.v != (double)(long)d.v) {
		if (d.v >= 1 && d.v <= (double)AST_MAX_DIM)
			diag_add(c->diags, c->src, dsp, SEV_ERROR, "LS301",
				 "%s must be a whole number, not %s%.*s", what, sign, len, txt);
		else
			diag_add(c->diags, c->src, dsp, SEV_ERROR, "LS301",
				 "%s must be between 1 and %ld, not %s%.*s", what,
				 (long)AST_MAX_DIM, sign, len, txt);
		return 1;
	}
	return (long)d.v;
}

static ast_size pc_ast_size(struct pctx *c, ast_type_kind k, pc_dim d, span dsp)
{
	ast_size z = {0};
	if (d.name.s)
		z.name = d.name;
	else
		z.n = pc_size(c, k, d, dsp);
	return z;
}

/* real[N, M]: always the sizes form. */
static ast_type pc_type2(struct pctx *c, span sp, pc_dim d0, span dsp0, pc_dim d1, span dsp1)
{
	ast_type t = {.kind = TY_REAL, .dim = AST_DIM_SIZES, .span = sp, .nsizes = 2};
	t.sizes = arena_alloc(c->ar, 2 * sizeof *t.sizes);
	t.sizes[0] = pc_ast_size(c, TY_REAL, d0, dsp0);
	t.sizes[1] = pc_ast_size(c, TY_REAL, d1, dsp1);
	return t;
}

static ast_type pc_type(struct pctx *c, ast_type_kind k, span sp, pc_dim d, span dsp)
{
	ast_type t = {.kind = k, .dim = 1, .span = sp};
	if (d.name.s) {
		t.dim = AST_DIM_SIZES;
		t.nsizes = 1;
		t.sizes = arena_alloc(c->ar, sizeof *t.sizes);
		t.sizes[0] = pc_ast_size(c, k, d, dsp);
		return t;
	}
	t.dim = pc_size(c, k, d, dsp);
	return t;
}

/* ---- strings ------------------------------------------------------ */

static void pc_pieces_add(struct pctx *c, pc_pieces *l, span sp)
{
	pc_piece *p = c->spare_pieces;
	if (p) {
		c->spare_pieces = p->next;
		memset(p, 0, sizeof *p);
	} else
		p = arena_alloc(c->ar, sizeof *p);
	p->span = sp;
	if (l->tail)
		l->tail->next = p;
	else
		l->head = p;
	l->tail = p;
}

static int pc_escape(char e, char *out)
{
	switch (e) {
	case '"': *out = '"'; return 1;
	case '\\': *out = '\\'; return 1;
	case 'n': *out = '\n'; return 1;
	case 't': *out = '\t'; return 1;
	default: return 0;
	}
}

/*
 * Decode and join the pieces.  Two passes (size, then fill) so the text
 * and its segment map are each one allocation.  A segment starts at every
 * piece and after every escape; an unknown escape (already reported by
 * the scanner) is kept as written.  Most of a prose-heavy spec is string
 * bodies: both passes jump from backslash to backslash (memchr) and copy
 * the runs between them.
 */
static ast_text pc_join(struct pctx *c, pc_pieces l, span sp)
{
	ast_text t = {0};
	const char *src = c->src->text;
	size_t len = 0, nsegs = 0;
	for (pc_piece *p = l.head; p; p = p->next) {
		const char *q = src + p->span.start + 1, *e = src + p->span.end - 1, *b;
		char ch;
		nsegs++;
		while (q < e && (b = memchr(q, '\\', (size_t)(e - q))) != NULL) {
			len += (size_t)(b - q) + 1;
			/* b[1] exists: at worst it is the closing quote */
			if (pc_escape(b[1], &ch)) {
				nsegs++;
				q = b + 2;
			} else {
				q = b + 1;
			}
		}
		if (q < e)
			len += (size_t)(e - q);
	}
	char *bytes = arena_alloc(c->xar, len + 1);
	ast_text_seg *segs = arena_alloc(c->xar, nsegs * sizeof *segs);
	size_t k = 0, s = 0;
	for (pc_piece *p = l.head; p; p = p->next) {
		const char *q = src + p->span.start + 1, *e = src + p->span.end - 1, *b;
		char ch;
		segs[s++] = (ast_text_seg){k, p->span.start + 1};
		while (q < e && (b = memchr(q, '\\', (size_t)(e - q))) != NULL) {
			memcpy(bytes + k, q, (size_t)(b - q));
			k += (size_t)(b - q);
			if (pc_escape(b[1], &ch)) {
				bytes[k++] = ch;
				q = b + 2;
				segs[s++] = (ast_text_seg){k, (size_t)(q - src)};
			} else {
				bytes[k++] = '\\';
				q = b + 1;
			}
		}
		if (q < e) {
			memcpy(bytes + k, q, (size_t)(e - q));
			k += (size_t)(e - q);
		}
	}
	bytes[k] = '\0';
	if (l.head) {
		l.tail->next = c->spare_pieces;
		c->spare_pieces = l.head;
	}
	t.bytes = bytes;
	t.len = len;
	t.span = sp;
	t.segs = segs;
	t.nsegs = nsegs;
	return t;
}

/* ---- syntax errors ------------------------------------------------ */

void pc_syntax_error(struct pctx *c, span sp, const char *fmt, ...)
{
	if (c->stop)
		return;
	va_list ap;
	va_start(ap, fmt);
	diag_addv(c->diags, c->src, sp, SEV_ERROR, "LS001", fmt, ap);
	va_end(ap);
	c->file->syntax_errors++;
	if (c->max_errors > 0 && c->file->syntax_errors >= c->max_errors)
		c->stop = 1;
}


/* How a token is named in "expected X before Y". */
static const char *pc_sym_name(yysymbol_kind_t k)
{
	switch (k) {
	case YYSYMBOL_YYEOF: return "end of file";
	default: return yysymbol_name(k);
	}
}

static int pc_sym_is(yysymbol_kind_t k, const char *name)
{
	return strcmp(yysymbol_name(k), name) == 0;
}

/* The arithmetic operators; where all of them may follow, the message says
   "an operator" and leaves out the comparisons too. */
#define PC_NARITH 6

static int pc_is_arith(yysymbol_kind_t k)
{
	return pc_sym_is(k, "'+'") || pc_sym_is(k, "'-'") || pc_sym_is(k, "'*'")
		|| pc_sym_is(k, "'/'") || pc_sym_is(k, "'^'") || pc_sym_is(k, "'@'");
}

static int pc_is_operator(yysymbol_kind_t k)
{
	return pc_is_arith(k) || pc_sym_is(k, "'<'") || pc_sym_is(k, "'>'")
		|| k == YYSYMBOL_OP_LE || k == YYSYMBOL_OP_GE || k == YYSYMBOL_OP_EQ
		|| k == YYSYMBOL_OP_NE;
}

static int pc_is_keyword(yysymbol_kind_t k)
{
	return k >= YYSYMBOL_KW_DATASET && k <= YYSYMBOL_KW_IN;
}

/*
 * "expected ':' before 'real'".  With LAC the expected set is exact.  A
 * name is expected wherever a keyword may stand as a name, so keywords
 * are folded into "a name", and the tokens that can start an expression
 * into "an expression".
 */
static int yyreport_syntax_error(const yypcontext_t *yctx, struct pctx *c)
{
	yysymbol_kind_t look = yypcontext_token(yctx);
	const span *loc = yypcontext_location(yctx);
	if (c->stop || c->lex_reported || look == YYSYMBOL_INVALID)
		return 0;
	if (look == YYSYMBOL_YYEOF && c->eof_reported)
		return 0;

	yysymbol_kind_t exp[YYNTOKENS];
	int n = yypcontext_expected_tokens(yctx, exp, YYNTOKENS);
	if (n < 0)
		n = 0;
	int has_ident = 0, has_expr = 0, has_int = 0, has_float = 0, eof_ok = 0;
	for (int i = 0; i < n; i++) {
		if (exp[i] == YYSYMBOL_IDENT)
			has_ident = 1;
		if (exp[i] == YYSYMBOL_INT)
			has_int = 1;
		if (exp[i] == YYSYMBOL_FLOAT)
			has_float = 1;
	}
	has_expr = 0;
	for (int i = 0; i < n; i++)
		if (pc_sym_is(exp[i], "'('") && has_ident && has_int)
			has_expr = 1;
	int nops = 0;
	for (int i = 0; i < n; i++)
		if (pc_is_arith(exp[i]))
			nops++;
	if (nops == PC_NARITH && pc_is_operator(look) && !pc_is_arith(look)) {
		/* a < b < c: every operator but the comparisons may follow a comparison. */
		pc_syntax_error(c, *loc, "comparisons do not chain: '%.*s' cannot follow a comparison",
				(int)(loc->end - loc->start), c->src->text + loc->start);
		return 0;
	}
	const char *names[YYNTOKENS + 1];
	int m = 0;
	if (has_expr)
		names[m++] = "an expression";
	if (nops == PC_NARITH)
		names[m++] = "an operator";
	for (int i = 0; i < n; i++) {
		yysymbol_kind_t k = exp[i];
		if (has_ident && pc_is_keyword(k))
			continue;
		if (has_expr && (k == YYSYMBOL_IDENT || k == YYSYMBOL_INT || k == YYSYMBOL_FLOAT
				 || pc_sym_is(k, "'('") || pc_sym_is(k, "'['") || pc_sym_is(k, "'-'")))
			continue;
		if (k == YYSYMBOL_INT && has_float)
			continue;
		if (nops == PC_NARITH && pc_is_operator(k))
			continue;
		if (k == YYSYMBOL_YYEOF) {
			eof_ok = 1;
			continue;
		}
		names[m++] = pc_sym_name(k);
	}
	if (eof_ok)
		names[m++] = "end of file";

	char what[64];
	size_t tlen = loc->end - loc->start;
	if (look == YYSYMBOL_YYEOF)
		snprintf(what, sizeof what, "end of file");
	else if (look == YYSYMBOL_STRING)
		snprintf(what, sizeof what, "a string");
	else if (tlen > 32)
		snprintf(what, sizeof what, "'%.32s...'", c->src->text + loc->start);
	else
		snprintf(what, sizeof what, "'%.*s'", (int)tlen, c->src->text + loc->start);

	if (m == 0 || m > 10) {
		pc_syntax_error(c, *loc, "unexpected %s", what);
		return 0;
	}
	char buf[512];
	size_t used = 0;
	for (int i = 0; i < m; i++) {
		const char *sep = i == 0 ? "" : i == m - 1 ? " or " : ", ";
		int w = snprintf(buf + used, sizeof buf - used, "%s%s", sep, names[i]);
		if (w < 0 || (size_t)w >= sizeof buf - used)
			break;
		used += (size_t)w;
	}
	/* a misspelt keyword: "did you mean 'label'?" */
	char kw[YYNTOKENS][24];
	suggest sg;
	suggest_init(&sg, c->src->text + loc->start, tlen, tlen <= 3 ? 1 : 2);
	for (int i = 0; i < m && look == YYSYMBOL_IDENT; i++) {
		size_t kl = strlen(names[i]);
		if (names[i][0] != '\'' || kl < 3 || kl - 2 >= sizeof kw[i] || !islower((unsigned char)names[i][1]))
			continue;
		memcpy(kw[i], names[i] + 1, kl - 2);
		kw[i][kl - 2] = '\0';
		suggest_offer(&sg, kw[i]);
	}
	if (sg.best)
		pc_syntax_error(c, *loc, "expected %s before %s; did you mean '%s'?", buf, what, sg.best);
	else
		pc_syntax_error(c, *loc, "expected %s before %s", buf, what);
	return 0;
}

/* Only bison's own failures land here ("memory exhausted"); the depth bounds make them unreachable in practice. */
/* GCOVR_EXCL_START: bison's stacks stop growing at YYMAXDEPTH, which the nesting limits keep far from, and grow with xmalloc */
static void yyerror(const span *loc, struct pctx *c, const char *msg)
{
	pc_syntax_error(c, *loc, "%s", msg);
}
/* GCOVR_EXCL_STOP */
