"""sarif_schema.py SCHEMA FILE...: validate SARIF logs against the SARIF 2.1.0
JSON schema with python3-jsonschema.  Prints every violation with its JSON
path; exits 0 when all files are valid, 1 otherwise."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
validator = jsonschema.Draft4Validator(schema)
bad = 0
for path in sys.argv[2:]:
    try:
        log = json.load(open(path, encoding="utf-8"))
    except ValueError as e:
        print(f"{path}: not JSON: {e}")
        bad += 1
        continue
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    for e in errors[:20]:
        where = "/".join(str(p) for p in e.absolute_path) or "(root)"
        print(f"{path}: {where}: {e.message[:200]}")
    if errors:
        bad += 1
sys.exit(1 if bad else 0)
