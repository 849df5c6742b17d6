#!/usr/bin/env python3
"""Extract the OpenAI response schemas the gateway's tests validate against.

Reads OpenAI's official OpenAPI 3.1 description (openapi.yaml) and writes
schemas.json next to this script: a JSON document holding, under
"components" -> "schemas", only the ROOTS below plus every schema they reach
through "$ref" (transitively). References keep their "#/components/schemas/X"
form, so they resolve inside the extracted document. The schemas are copied
verbatim (descriptions, examples and vendor extensions included); the test
utility dev.bedrockgateway.testing.OpenAiSchemas interprets them.

Output is pretty-printed with sorted keys and contains no timestamp, so
regenerating from the same openapi.yaml gives no diff. OpenAI's LICENSE (MIT)
is copied next to the output when it sits next to the spec.

Usage (from the repository root, with the spec checked out beside it):
    python3 src/test/resources/openai/extract_schemas.py ../shared/openai/openapi.yaml
Needs python3 and PyYAML.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import sys

import yaml

ROOTS = [
    "CreateChatCompletionResponse",
    "CreateChatCompletionStreamResponse",
    "CreateCompletionResponse",
    "CreateEmbeddingResponse",
    "ListModelsResponse",
    "Model",
    "ErrorResponse",
    "Response",
    "ResponseStreamEvent",
    "ResponseItemList",
]

REF_PREFIX = "#/components/schemas/"
HERE = os.path.dirname(os.path.abspath(__file__))


def _base_loader():
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class JsonCompatibleLoader(_base_loader()):
    """Safe YAML loader restricted to what JSON can hold.

    PyYAML follows YAML 1.1, which would turn unquoted yes/no/on/off into
    booleans and ISO dates into datetime objects; OpenAPI 3.1 documents are
    meant to be read as YAML 1.2 (JSON-compatible), so those stay strings.
    """


JsonCompatibleLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in _base_loader().yaml_implicit_resolvers.items()
}
JsonCompatibleLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))


def unescape_pointer_token(token):
    return token.replace("~1", "/").replace("~0", "~")


def find_refs(node, out):
    """Collect every "$ref" string anywhere below node."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out.add(value)
            else:
                find_refs(value, out)
    elif isinstance(node, list):
        for item in node:
            find_refs(item, out)


def check_json_compatible(node, path):
    if isinstance(node, dict):
        for key, value in node.items():
            if not isinstance(key, str):
                raise SystemExit(f"non-string key {key!r} at {path}")
            check_json_compatible(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            check_json_compatible(item, f"{path}/{i}")
    elif node is not None and not isinstance(node, (str, bool, int, float)):
        raise SystemExit(f"value of type {type(node).__name__} at {path} is not JSON")


def closure(all_schemas, roots):
    selected = {}
    pending = list(roots)
    while pending:
        name = pending.pop()
        if name in selected:
            continue
        if name not in all_schemas:
            raise SystemExit(f"schema {name!r} not found in components/schemas")
        schema = all_schemas[name]
        selected[name] = schema
        refs = set()
        find_refs(schema, refs)
        for ref in sorted(refs):
            if not ref.startswith(REF_PREFIX) or "/" in ref[len(REF_PREFIX):]:
                raise SystemExit(f"schema {name!r} has an unsupported $ref {ref!r}")
            pending.append(unescape_pointer_token(ref[len(REF_PREFIX):]))
    return selected


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("spec", help="path to OpenAI's openapi.yaml")
    parser.add_argument("--out", default=os.path.join(HERE, "schemas.json"),
                        help="output file (default: schemas.json next to this script)")
    args = parser.parse_args(argv)

    with open(args.spec, "rb") as f:
        raw = f.read()
    spec = yaml.load(raw, Loader=JsonCompatibleLoader)
    all_schemas = spec["components"]["schemas"]
    selected = closure(all_schemas, ROOTS)
    check_json_compatible(selected, "#/components/schemas")

    info = spec.get("info", {})
    document = {
        "x-source": {
            "file": "openapi.yaml",
            "title": info.get("title"),
            "version": info.get("version"),
            "openapi": spec.get("openapi"),
            "sha256": hashlib.sha256(raw).hexdigest(),
            "generated": "GENERATED by src/test/resources/openai/extract_schemas.py - do not edit; "
                         "rerun the script to update.",
            "roots": ROOTS,
            "content": "components/schemas of the roots plus their transitive $ref closure, "
                       "copied verbatim.",
            "license": "OpenAI OpenAPI description, Copyright (c) OpenAI, MIT License: "
                       "see LICENSE in this directory.",
        },
        "components": {"schemas": selected},
    }
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)

    license_src = os.path.join(os.path.dirname(os.path.abspath(args.spec)), "LICENSE")
    if os.path.isfile(license_src):
        shutil.copyfile(license_src, os.path.join(os.path.dirname(os.path.abspath(args.out)), "LICENSE"))

    print(f"wrote {args.out}: {len(selected)} schemas, {len(text.encode('utf-8'))} bytes",
          file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
