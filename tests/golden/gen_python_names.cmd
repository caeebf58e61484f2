# gen --python with names Python reserves (a loss 'lambda', an output
# 'class') and a spec path holding a quote and backslashes: the keyword
# gets a trailing underscore where it is a Python name, the path is
# shown in the docstring without the bytes that could end it, and the
# module parses.
command -v python3 >/dev/null 2>&1 || { echo "no python3 to parse the module" >&2; exit 77; }
printf 'dataset d { input x: real[3]; label y: real[3]; }\nloss lambda on d { output class: real[3]; param def: real = 2; value = mse(class, y) * def; reduce mean; precision float64; }\n' > 'odd\name "q".loss'
"$LOSSC" gen --python -o out odd*.loss 2>/dev/null; echo "exit $?"
ls out
sed -n 2p out/*.py
grep -n '"class_"\|c_name=\|^loss_lambda' out/*.py
python3 -c 'import ast, sys; ast.parse(open(sys.argv[1]).read()); print("the module parses")' out/*.py
