/*
 * gen_python.c: `lossc gen --python`, DIR/STEM_loss.py: the generated
 * kernels for Python training loops.
 *
 * The module loads the shared library built from STEM_loss.c with ctypes
 * and, per loss, defines one function under the C name (loss_NAME), its
 * gradient (loss_NAME_grad) and its validity check (loss_NAME_check:
 * None, or LossInputError naming the row and the argument).  They take NumPy arrays, or torch
 * tensors when torch is importable: then loss_NAME is a
 * torch.autograd.Function, so `loss = loss_ce(logits, y); loss.backward()`
 * fills logits.grad from the generated gradient kernel.
 *
 * Nothing is converted behind the caller's back where it could change a
 * number: a wrong float dtype, a wrong shape, a non-contiguous array, a
 * tensor off the CPU or an input that asks for a gradient lossc does not
 * generate is a TypeError or ValueError naming the argument.  Class labels
 * are the one conversion: int64 (NumPy's and torch's default) is accepted
 * and narrowed to the kernels' int32 after checking it fits.
 *
 * The per-loss facts (argument names, kinds, row lengths, precision,
 * reduction) are emitted as data; the checking and calling code is
 * written once in gp_prelude.
 */
#include "config.h"
#include "gen_impl.h"

#include <string.h>

static const char *const gp_keywords[] = {
	"False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
	"continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
	"if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
	"return", "try", "while", "with", "yield", "match", "case", "type",
};

/* A C identifier as a Python name: keywords get a trailing underscore
   (C names never start with one, so the module's own names cannot clash). */
static const char *gp_name(gen_kernel *g, const char *c)
{
	for (size_t i = 0; i < sizeof gp_keywords / sizeof *gp_keywords; i++)
		if (strcmp(c, gp_keywords[i]) == 0)
			return gk_fmt(g, "%s_", c);
	return c;
}

/* A Python string literal of an identifier or generated text (no quotes
   or backslashes can occur in C identifiers; escape anyway). */
static void gp_str(FILE *o, const char *s)
{
	fputc('"', o);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', o);
		if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f)
			fputc(*s, o);
	}
	fputc('"', o);
}

void gp_loss(gen_kernel *g, FILE *o)
{
	const ir_loss *l = g->loss;
	const char *py = gp_name(g, g->fname);
	fprintf(o, "%s = _make(_Spec(\n    c_name=", py);
	gp_str(o, g->fname);
	fprintf(o, ", c_grad=");
	gp_str(o, g->gname);
	fprintf(o, ", c_check=");
	gp_str(o, g->cname);
	if (g->wname) {
		/* named sizes: each row length is the size's name, bound from the arrays' shapes */
		fprintf(o, ", c_work=");
		gp_str(o, g->wname);
		fprintf(o, ", sizes=(");
		for (size_t i = 0; i < l->nsizes; i++) {
			gp_str(o, g->size_names[i]);
			fprintf(o, ", ");
		}
		fprintf(o, ")");
	}
	fprintf(o, ",\n    precision=\"%s\", reduce=\"%s\",\n    args=(\n",
		g->prec == GP_F32 ? "float32" : "float64", ast_reduce_name(l->reduce));
	for (size_t i = 0; i < g->nparams; i++) {
		const gk_param *P = &g->params[i];
		fprintf(o, "        (");
		gp_str(o, gp_name(g, P->name));
		fprintf(o, ", \"%s\", ", i < g->nouts ? "output" : P->is_class ? "label" : "input");
		if (P->per_batch)       /* one value for the whole batch */
			fprintf(o, "\"per batch\"");
		else if (P->len.item)
			gp_str(o, gk_len(g, P->len));
		else
			fprintf(o, "%ld", P->len.n);
		fprintf(o, "),\n");
	}
	/* the class count of each class label, for loss_NAME_check's message */
	fprintf(o, "    ),\n    classes={");
	for (size_t i = 0; i < l->nnodes; i++) {
		const ir_node *nd = l->nodes[i];
		if (nd->op != IR_LABEL || nd->type != IRT_CLASS)
			continue;
		gp_str(o, gp_name(g, gk_item_name(g, nd->item)));
		if (ir_dim(nd).item) {
			fprintf(o, ": ");
			gp_str(o, gk_len(g, ir_dim(nd)));
			fprintf(o, ", ");
		} else {
			fprintf(o, ": %ld, ", ir_len(nd));
		}
	}
	fprintf(o, "},\n    doc=");
	char doc[1024];
	snprintf(doc, sizeof doc, "loss '%s' (%s, reduce %s)", g->loss_name ? g->loss_name : "?",
		 g->prec == GP_F32 ? "float32" : "float64", ast_reduce_name(l->reduce));
	gp_str(o, doc);
	fprintf(o, "))\n%s_grad = %s.grad\n%s_check = %s.check\n\n", py, py, py, py);
}

static const char gp_prelude[] =
	"import ctypes as _ctypes\n"
	"import os as _os\n"
	"\n"
	"import numpy as _np\n"
	"\n"
	"try:\n"
	"    import torch as _torch\n"
	"except ImportError:  # the NumPy interface works without torch\n"
	"    _torch = None\n"
	"\n"
	"_lib = None\n"
	"\n"
	"\n"
	"def load(path=None):\n"
	"    \"\"\"Load the compiled kernels: path, else $LOSSC_@STEM@_LIB, else\n"
	"    lib@stem@_loss.so beside this file.  Called by the first loss call.\"\"\"\n"
	"    global _lib\n"
	"    if path is None:\n"
	"        path = _os.environ.get(\"LOSSC_@STEM@_LIB\") or _os.path.join(\n"
	"            _os.path.dirname(_os.path.abspath(__file__)), \"lib@stem@_loss.so\")\n"
	"    try:\n"
	"        _lib = _ctypes.CDLL(path)\n"
	"    except OSError as e:\n"
	"        raise OSError(\"cannot load the @stem@ kernels from %s (%s); build them with: %s\"\n"
	"                      % (path, e, BUILD)) from None\n"
	"    return _lib\n"
	"\n"
	"\n"
	"class LossInputError(ValueError):\n"
	"    \"\"\"A call loss_NAME_check rejects: .code (LOSSC_BAD_LABEL, ...), .row, and\n"
	"    .argument (the argument's name, or None when the code names none).\"\"\"\n"
	"\n"
	"    def __init__(self, message, code, row, argument):\n"
	"        super().__init__(message)\n"
	"        self.code, self.row, self.argument = code, row, argument\n"
	"\n"
	"\n"
	"# the codes of loss_NAME_check (the header's LOSSC_*)\n"
	"LOSSC_OK, LOSSC_ZERO_SIZE, LOSSC_BAD_LABEL, LOSSC_BAD_INDEX = 0, 1, 2, 3\n"
	"_CODES = {1: \"LOSSC_ZERO_SIZE\", 2: \"LOSSC_BAD_LABEL\", 3: \"LOSSC_BAD_INDEX\"}\n"
	"\n"
	"\n"
	"class _Spec:\n"
	"    def __init__(self, c_name, c_grad, c_check, precision, reduce, args, classes, doc, c_work=None, sizes=()):\n"
	"        self.c_name, self.c_grad, self.reduce, self.args, self.doc = c_name, c_grad, reduce, args, doc\n"
	"        self.c_check, self.classes, self.cfn = c_check, classes, None\n"
	"        self.c_work, self.sizes = c_work, sizes\n"
	"        self.dtype = _np.dtype(precision)\n"
	"        self.ctype = _ctypes.c_float if precision == \"float32\" else _ctypes.c_double\n"
	"        self.outputs = [a for a in args if a[1] == \"output\"]\n"
	"        self.fn = self.gfn = self.cfn = self.wfn = None\n"
	"\n"
	"    def bind(self):\n"
	"        if self.fn is None:\n"
	"            lib = _lib or load()\n"
	"            n_ptrs = len(self.args) + (1 if self.reduce == \"none\" else 0) + (1 if self.c_work else 0)\n"
	"            head = [_ctypes.c_size_t] * (1 + len(self.sizes))\n"
	"            restype = None if self.reduce == \"none\" else self.ctype\n"
	"            fn, gfn = getattr(lib, self.c_name), getattr(lib, self.c_grad)\n"
	"            fn.argtypes = head + [_ctypes.c_void_p] * n_ptrs\n"
	"            gfn.argtypes = head + [_ctypes.c_void_p] * (n_ptrs + len(self.outputs))\n"
	"            fn.restype = gfn.restype = restype\n"
	"            cfn = getattr(lib, self.c_check)\n"
	"            cfn.argtypes = head + [_ctypes.c_void_p] * (n_ptrs + 1)\n"
	"            cfn.restype = _ctypes.c_int\n"
	"            if self.c_work:\n"
	"                self.wfn = getattr(lib, self.c_work)\n"
	"                self.wfn.argtypes = head\n"
	"                self.wfn.restype = _ctypes.c_size_t\n"
	"            self.fn, self.gfn, self.cfn = fn, gfn, cfn\n"
	"\n"
	"    def work(self, n, sizes):\n"
	"        \"\"\"The scratch memory NAME_work_size asks for: [] or [a pointer] (kept alive by self._work).\"\"\"\n"
	"        if not self.c_work:\n"
	"            return []\n"
	"        size = self.wfn(n, *sizes)\n"
	"        if size == _ctypes.c_size_t(-1).value:\n"
	"            raise ValueError(\"%s: the sizes %s overflow the scratch memory\" % (self.c_name, sizes))\n"
	"        self._work = _np.empty(max(size, 1), dtype=_np.uint8)\n"
	"        return [self._work.ctypes.data if size else None]\n"
	"\n"
	"\n"
	"def _check(where, a, kind, dim, dtype, n, vec=None):\n"
	"    \"\"\"A NumPy argument as the kernel takes it, or TypeError/ValueError.\"\"\"\n"
	"    if not isinstance(a, _np.ndarray):\n"
	"        raise TypeError(\"%s must be a numpy.ndarray or a torch.Tensor, not %s\" % (where, type(a).__name__))\n"
	"    if kind == \"label\":\n"
	"        if a.dtype not in (_np.int32, _np.int64):\n"
	"            raise TypeError(\"%s holds class labels: int32 or int64, not %s\" % (where, a.dtype))\n"
	"    elif a.dtype != dtype:\n"
	"        raise TypeError(\"%s must be %s (the loss's precision), not %s\" % (where, dtype, a.dtype))\n"
	"    want = (n, dim) if (dim if vec is None else vec) else (n,)\n"
	"    if a.shape != want:\n"
	"        raise ValueError(\"%s must have shape %s (rows, %s), not %s\" % (\n"
	"            where, want, \"%d values a row\" % dim if dim else \"one value a row\", a.shape))\n"
	"    if not a.flags.c_contiguous:\n"
	"        raise ValueError(\"%s is not C-contiguous (a view with strides): pass a contiguous copy\" % where)\n"
	"    if kind == \"label\" and a.dtype == _np.int64:\n"
	"        if a.size and (a.min() < -2**31 or a.max() >= 2**31):\n"
	"            raise ValueError(\"%s holds a label beyond int32\" % where)\n"
	"        a = a.astype(_np.int32)\n"
	"    return a\n"
	"\n"
	"\n"
	"def _check_one(where, a, dtype):\n"
	"    \"\"\"A per-batch argument: one value for the whole batch, shape () or (1,).\"\"\"\n"
	"    if not isinstance(a, _np.ndarray):\n"
	"        raise TypeError(\"%s must be a numpy.ndarray or a torch.Tensor, not %s\" % (where, type(a).__name__))\n"
	"    if a.dtype != dtype:\n"
	"        raise TypeError(\"%s must be %s (the loss's precision), not %s\" % (where, dtype, a.dtype))\n"
	"    if a.shape not in ((), (1,)):\n"
	"        raise ValueError(\"%s is one value for the whole batch (per batch): shape () or (1,), not %s\"\n"
	"                         % (where, a.shape))\n"
	"    return _np.ascontiguousarray(a.reshape(1))\n"
	"\n"
	"\n"
	"def _sizes(spec, arrays, given):\n"
	"    \"\"\"The named sizes, in the C order: each from the row length of the\n"
	"    first argument typed with it (all of them must agree), else given[name].\"\"\"\n"
	"    found = {}\n"
	"    for i, (a, (name, kind, dim)) in enumerate(zip(arrays, spec.args)):\n"
	"        if not isinstance(dim, str) or dim in (\"n\", \"per batch\") or not isinstance(a, _np.ndarray) or a.ndim != 2:\n"
	"            continue  # (n: a row as long as the batch, checked against the row count)\n"
	"        where = \"%s: argument %d '%s'\" % (spec.c_name, i + 1, name)\n"
	"        if dim in given and given[dim] != a.shape[1]:\n"
	"            raise ValueError(\"%s has %d values a row, but %s=%d was given\" % (where, a.shape[1], dim, given[dim]))\n"
	"        if dim in found and found[dim][0] != a.shape[1]:\n"
	"            raise ValueError(\"%s has %d values a row, but %s = %d from %s\" % (\n"
	"                where, a.shape[1], dim, found[dim][0], found[dim][1]))\n"
	"        found.setdefault(dim, (a.shape[1], where))\n"
	"    unknown = set(given) - set(spec.sizes)\n"
	"    if unknown:\n"
	"        raise TypeError(\"%s has no size %s (its sizes: %s)\" % (\n"
	"            spec.c_name, \", \".join(sorted(unknown)), \", \".join(spec.sizes) or \"none\"))\n"
	"    out = []\n"
	"    for s in spec.sizes:\n"
	"        if s in found:\n"
	"            out.append(found[s][0])\n"
	"        elif s in given:\n"
	"            out.append(int(given[s]))\n"
	"        else:\n"
	"            raise TypeError(\"%s: no argument's shape gives the size %s: pass %s=...\" % (spec.c_name, s, s))\n"
	"    return out\n"
	"\n"
	"\n"
	"def _batch(spec, arrays, given=None):\n"
	"    \"\"\"The row count (the first argument's), the named sizes and the checked arrays.\"\"\"\n"
	"    if len(arrays) != len(spec.args):\n"
	"        raise TypeError(\"%s takes %d arguments (%s), got %d\" % (\n"
	"            spec.c_name, len(spec.args), \", \".join(a[0] for a in spec.args), len(arrays)))\n"
	"    rows = [a for a, arg in zip(arrays, spec.args) if arg[2] != \"per batch\"]\n"
	"    first = rows[0] if rows else None\n"
	"    n = first.shape[0] if isinstance(first, _np.ndarray) and first.ndim else 0\n"
	"    sizes = _sizes(spec, arrays, given or {})\n"
	"    bound = dict(zip(spec.sizes, sizes), n=n)  # n: a row as long as the batch\n"
	"    return n, sizes, [_check_one(\"%s: argument %d '%s'\" % (spec.c_name, i + 1, name), a, spec.dtype)\n"
	"                      if dim == \"per batch\" else\n"
	"                      _check(\"%s: argument %d '%s'\" % (spec.c_name, i + 1, name), a, kind,\n"
	"                             bound[dim] if isinstance(dim, str) else dim, spec.dtype, n,\n"
	"                             vec=isinstance(dim, str) or dim > 0)\n"
	"                      for i, (a, (name, kind, dim)) in enumerate(zip(arrays, spec.args))]\n"
	"\n"
	"\n"
	"def _np_value(spec, arrays, given=None):\n"
	"    \"\"\"The loss of NumPy arrays: a float (mean, sum) or one value a row (none).\"\"\"\n"
	"    n, sizes, a = _batch(spec, arrays, given)\n"
	"    spec.bind()\n"
	"    ptrs = [x.ctypes.data for x in a]\n"
	"    if spec.reduce == \"none\":\n"
	"        each = _np.empty(n, dtype=spec.dtype)\n"
	"        spec.fn(n, *sizes, *ptrs, each.ctypes.data, *spec.work(n, sizes))\n"
	"        return each\n"
	"    return spec.fn(n, *sizes, *ptrs, *spec.work(n, sizes))\n"
	"\n"
	"\n"
	"def _np_grad(spec, arrays, upstream=None, given=None):\n"
	"    \"\"\"(value, d_output, ...): the value as _np_value gives it (None for\n"
	"    reduce none, which takes upstream, one weight a row) and the gradient\n"
	"    of each output, shaped as the output.\"\"\"\n"
	"    n, sizes, a = _batch(spec, arrays, given)\n"
	"    spec.bind()\n"
	"    ptrs = [x.ctypes.data for x in a]\n"
	"    if spec.reduce == \"none\":\n"
	"        if upstream is None:\n"
	"            raise TypeError(\"%s: reduce none takes upstream=, the gradient of each row's value\" % spec.c_grad)\n"
	"        up = _check(\"%s: upstream\" % spec.c_grad, upstream, \"input\", 0, spec.dtype, n)\n"
	"        ptrs.append(up.ctypes.data)\n"
	"    elif upstream is not None:\n"
	"        raise TypeError(\"%s: upstream= is for reduce none; this loss is reduce %s\" % (spec.c_grad, spec.reduce))\n"
	"    grads = [_np.empty_like(a[i]) for i, arg in enumerate(spec.args) if arg[1] == \"output\"]\n"
	"    value = spec.gfn(n, *sizes, *ptrs, *[d.ctypes.data for d in grads], *spec.work(n, sizes))\n"
	"    return (value, *grads)\n"
	"\n"
	"\n"
	"def _np_check(spec, arrays, given=None):\n"
	"    \"\"\"None when the C check accepts the call, else LossInputError naming\n"
	"    the row and the argument.\"\"\"\n"
	"    n, sizes, a = _batch(spec, arrays, given)\n"
	"    spec.bind()\n"
	"    ptrs = [x.ctypes.data for x in a]\n"
	"    if spec.reduce == \"none\":\n"
	"        each = _np.empty(max(n, 1), dtype=spec.dtype)\n"
	"        ptrs.append(each.ctypes.data)\n"
	"    row = _ctypes.c_size_t(0)\n"
	"    code = spec.cfn(n, *sizes, *ptrs, *([None] if spec.c_work else []), _ctypes.byref(row))\n"
	"    if code == LOSSC_OK:\n"
	"        return None\n"
	"    r = row.value\n"
	"    if code == LOSSC_BAD_LABEL:\n"
	"        for i, (x, (name, kind, dim)) in enumerate(zip(a, spec.args)):\n"
	"            k = spec.classes.get(name)\n"
	"            k = dict(zip(spec.sizes, sizes)).get(k) if isinstance(k, str) else k\n"
	"            if k is not None and not 0 <= int(x[r]) < k:\n"
	"                raise LossInputError(\"%s: argument %d '%s', row %d: class label %d is not in 0..%d \"\n"
	"                                     \"(LOSSC_BAD_LABEL)\" % (spec.c_check, i + 1, name, r, int(x[r]), k - 1),\n"
	"                                     code, r, name)\n"
	"    raise LossInputError(\"%s: row %d: %s\" % (spec.c_check, r, _CODES.get(code, \"code %d\" % code)), code, r, None)\n"
	"\n"
	"\n"
	"def _to_numpy(spec, i, t):\n"
	"    name, kind, dim = spec.args[i]\n"
	"    where = \"%s: argument %d '%s'\" % (spec.c_name, i + 1, name)\n"
	"    if not isinstance(t, _torch.Tensor):\n"
	"        raise TypeError(\"%s must be a torch.Tensor like the other arguments, not %s\" % (where, type(t).__name__))\n"
	"    if t.device.type != \"cpu\":\n"
	"        raise ValueError(\"%s is on %s: the generated kernels run on the CPU\" % (where, t.device))\n"
	"    if t.requires_grad and kind != \"output\":\n"
	"        raise ValueError(\"%s requires grad, but lossc generates the gradient of the outputs only (%s): detach it\"\n"
	"                         % (where, \", \".join(a[0] for a in spec.outputs)))\n"
	"    if not t.is_contiguous():\n"
	"        raise ValueError(\"%s is not contiguous: pass .contiguous()\" % where)\n"
	"    return t.detach().numpy()\n"
	"\n"
	"\n"
	"def _make(spec):\n"
	"    \"\"\"The Python function of one loss (and its .grad).\"\"\"\n"
	"    fn_class = None\n"
	"    if _torch is not None:\n"
	"        class _Fn(_torch.autograd.Function):\n"
	"            @staticmethod\n"
	"            def forward(ctx, given, *tensors):\n"
	"                arrays = [_to_numpy(spec, i, t) for i, t in enumerate(tensors)]\n"
	"                ctx.given = given\n"
	"                ctx.shapes = [t.shape for t in tensors]  # a per-batch value's () or (1,)\n"
	"                if spec.reduce == \"none\":\n"
	"                    ctx.save_for_backward(*tensors)  # the gradient needs upstream: later\n"
	"                    return _torch.from_numpy(_np_value(spec, arrays, given))\n"
	"                if any(ctx.needs_input_grad):\n"
	"                    value, *grads = _np_grad(spec, arrays, given=given)\n"
	"                    ctx.grads = grads\n"
	"                else:\n"
	"                    value = _np_value(spec, arrays, given)\n"
	"                return _torch.tensor(value, dtype=_torch.float32 if spec.dtype == _np.float32 else _torch.float64)\n"
	"\n"
	"            @staticmethod\n"
	"            def backward(ctx, g):\n"
	"                if spec.reduce == \"none\":\n"
	"                    arrays = [t.detach().numpy() for t in ctx.saved_tensors]\n"
	"                    grads = _np_grad(spec, arrays, upstream=g.contiguous().numpy(), given=ctx.given)[1:]\n"
	"                    scale = None\n"
	"                else:\n"
	"                    grads, scale = ctx.grads, g\n"
	"                it = iter(grads)\n"
	"                out = [None]  # the sizes\n"
	"                for i, (name, kind, dim) in enumerate(spec.args):\n"
	"                    if kind != \"output\":\n"
	"                        out.append(None)\n"
	"                        continue\n"
	"                    d = _torch.from_numpy(next(it)).reshape(ctx.shapes[i])\n"
	"                    out.append(d if scale is None else d * scale)\n"
	"                return tuple(out)\n"
	"        fn_class = _Fn\n"
	"\n"
	"    def loss(*args, **sizes):\n"
	"        if _torch is not None and any(isinstance(a, _torch.Tensor) for a in args):\n"
	"            if len(args) != len(spec.args):\n"
	"                _batch(spec, args)  # the arity error\n"
	"            return fn_class.apply(sizes, *args)\n"
	"        return _np_value(spec, args, sizes)\n"
	"\n"
	"    def grad(*args, upstream=None, **sizes):\n"
	"        return _np_grad(spec, args, upstream, sizes)\n"
	"\n"
	"    def check(*args, **sizes):\n"
	"        if _torch is not None:\n"
	"            for i, t in enumerate(args):\n"
	"                if isinstance(t, _torch.Tensor) and t.device.type != \"cpu\":\n"
	"                    raise ValueError(\"%s: argument %d is on %s: the generated kernels run on the CPU\"\n"
	"                                     % (spec.c_check, i + 1, t.device))\n"
	"            args = [t.detach().numpy() if isinstance(t, _torch.Tensor) else t for t in args]\n"
	"        return _np_check(spec, args, sizes)\n"
	"\n"
	"    names = \", \".join(a[0] for a in spec.args)\n"
	"    loss.__name__, loss.__qualname__ = spec.c_name, spec.c_name\n"
	"    loss.__doc__ = (\"%s(%s): the %s.  NumPy arrays give a %s; torch tensors give a\\n\"\n"
	"                    \"tensor that backpropagates into the outputs (%s).\"\n"
	"                    % (spec.c_name, names, spec.doc, \"value a row\" if spec.reduce == \"none\" else \"float\",\n"
	"                       \", \".join(a[0] for a in spec.outputs)))\n"
	"    grad.__name__, grad.__qualname__ = spec.c_grad, spec.c_grad\n"
	"    grad.__doc__ = (\"%s(%s%s): (value, the gradient of each output), NumPy arrays.\"\n"
	"                    % (spec.c_grad, names, \", upstream=\" if spec.reduce == \"none\" else \"\"))\n"
	"    check.__name__, check.__qualname__ = spec.c_check, spec.c_check\n"
	"    check.__doc__ = (\"%s(%s): None when the call is valid; else LossInputError (a ValueError)\\n\"\n"
	"                     \"naming the row and the argument, e.g. a class label outside 0..K-1, which\\n\"\n"
	"                     \"%s makes NaN.  Takes what %s takes.\" % (spec.c_check, names, spec.c_name, spec.c_name))\n"
	"    loss.grad = grad\n"
	"    loss.check = check\n"
	"    loss.spec = spec\n"
	"    return loss\n"
	"\n"
	"\n";

/* The text of gp_prelude with @stem@ and @STEM@ replaced. */
static void gp_put_stem(FILE *o, const char *text, const char *stem)
{
	for (const char *p = text; *p; p++) {
		if (strncmp(p, "@stem@", 6) == 0) {
			fputs(stem, o);
			p += 5;
		} else if (strncmp(p, "@STEM@", 6) == 0) {
			for (const char *s = stem; *s; s++)
				fputc(*s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : (*s == '-' || *s == '.') ? '_' : *s, o);
			p += 5;
		} else {
			fputc(*p, o);
		}
	}
}

void gp_program(FILE *o, const char *stem, const source *src, const char *body)
{
	fprintf(o, "\"\"\"%s_loss.py: generated by lossc %s from\n", stem, PACKAGE_VERSION);
	for (const char *p = src->path; *p; p++)
		if ((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f && *p != '"' && *p != '\\')
			fputc(*p, o);
	fprintf(o, "\nDo not edit; regenerate with `lossc gen --python`.\n\n"
		"The losses of %s_loss.c for Python.  Build the shared library once, beside\n"
		"this file (or name it in $LOSSC_", stem);
	gp_put_stem(o, "@STEM@", stem);
	fprintf(o, "_LIB, or call load(path)):\n\n"
		"    cc -std=c99 -O2 -fPIC -shared -o lib%s_loss.so %s_loss.c -lm\n\n", stem, stem);
	fputs("Each loss is a function under its C name, loss_NAME(outputs..., inputs and\n"
	      "labels...), and loss_NAME_grad (also loss_NAME.grad).  With NumPy arrays\n"
	      "(one row per example, C-contiguous, the loss's float dtype; class labels\n"
	      "int32 or int64) loss_NAME returns the batch value as the C function does;\n"
	      "loss_NAME_grad returns (value, d_output, ...).  With torch tensors (CPU,\n"
	      "contiguous) loss_NAME is a torch.autograd.Function:\n\n"
	      "    loss = loss_ce(logits, y)\n"
	      "    loss.backward()            # logits.grad, from the generated gradient\n\n"
	      "A loss with named sizes (size V;) takes each from the row length of the\n"
	      "arguments typed with it (they must agree), or as a keyword (V=...) when no\n"
	      "argument's shape gives it.  An argument whose rows are as long as the batch\n"
	      "(real[B] with `batch B;`) is n x n.  A value declared `per batch` (a learned\n"
	      "logit scale) is one value: shape () or (1,), and so is its gradient.\n"
	      "loss_NAME_check(same arguments) returns None, or raises LossInputError (a\n"
	      "ValueError with .code, .row, .argument) naming what the C check rejects,\n"
	      "such as a class label outside 0..K-1 (which loss_NAME turns into NaN).\n"
	      "Only the outputs get gradients.  Anything else (wrong dtype, shape, a\n"
	      "strided view, a CUDA tensor) raises TypeError or ValueError, never a crash.\n"
	      "\"\"\"\n", o);
	fprintf(o, "BUILD = \"cc -std=c99 -O2 -fPIC -shared -o lib%s_loss.so %s_loss.c -lm\"\n\n", stem, stem);
	gp_put_stem(o, gp_prelude, stem);
	fputs(body, o);
}
