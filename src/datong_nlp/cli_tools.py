"""The commands beside `extract` and `evaluate`: `datong-nlp table`, `show`, `gold`, `check-rules`
and `explain` — thin layers over `table`, `show`, `goldio`, `examples` and `explain`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .provenance import TOOL_VERSION
from .types import LOCALES, DatongError, RulesError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def add_version(p: argparse.ArgumentParser) -> None:
    """`--version` on a command's parser."""
    p.add_argument("--version", action="version", version=f"%(prog)s {TOOL_VERSION}")


def _parser(prog: str, description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog, description=description)
    add_version(p)
    return p


def _fail(message: str, status: int = EXIT_USAGE) -> int:
    print(f"error: {message}", file=sys.stderr)
    return status


def _corpus_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", type=Path, default=None,
                   help="folder of the original texts (default: corpus/ beside OUT_DIR, OUT_DIR/.., ./corpus, .); "
                        "a text is used only when its SHA-256 matches the output's text_sha256")


def table_main(argv: Sequence[str] | None = None, prog: str = "datong-nlp table") -> int:
    """Run `datong-nlp table`."""
    from .table import FORMATS, rows, write_table

    p = _parser(prog, "One row per claim (or, with --entities, per entity mention) of every output JSON "
                      "below OUT_DIR, as CSV, JSON lines or Parquet (by the extension of --to).")
    p.add_argument("out_dir", type=Path, help="a folder of output JSON files (or one file)")
    p.add_argument("--to", type=Path, required=True, help=f"the table file: {', '.join('*' + f for f in FORMATS)}")
    p.add_argument("--entities", action="store_true", help="the entity table instead of the claim table")
    _corpus_arg(p)
    args = p.parse_args(argv)
    if not args.out_dir.exists():
        return _fail(f"{args.out_dir}: not found")
    try:
        table = rows(args.out_dir, args.entities, args.corpus)
        write_table(table, args.to)
    except DatongError as exc:
        return _fail(str(exc))
    missing = sum(1 for r in table if "sentence_text" in r and r["sentence_text"] is None)
    if missing:
        print(f"warning: {missing} rows without sentence_text (original text not found; give --corpus)", file=sys.stderr)
    print(f"table: {len(table)} rows -> {args.to}", file=sys.stderr)
    return EXIT_OK


def show_main(argv: Sequence[str] | None = None, prog: str = "datong-nlp show") -> int:
    """Run `datong-nlp show`."""
    from .show import render_document, write_site
    from .texts import corpus_candidates, iter_outputs, original_text

    p = _parser(prog, "Self-contained HTML: one output JSON file as a page with its claims and entities marked "
                      "(-o page.html), or a folder of them as pages and an index.html (-o site/).")
    p.add_argument("path", type=Path, help="an output JSON file, or a folder of them")
    p.add_argument("-o", "--output", type=Path, required=True, help="the page (for a file) or folder (for a folder)")
    _corpus_arg(p)
    args = p.parse_args(argv)
    if not args.path.exists():
        return _fail(f"{args.path}: not found")
    try:
        candidates = corpus_candidates(args.path if args.path.is_dir() else args.path.parent, args.corpus)
        docs = [(doc, original_text(doc, candidates)) for _, doc in iter_outputs(args.path)]
        if not docs:
            return _fail(f"{args.path}: no output JSON files")
        if args.path.is_file():
            doc, text = docs[0]
            if text is None:
                return _fail(f"{args.path}: the original text {doc.get('source')} was not found (give --corpus)", EXIT_FAILED)
            from .output import write_atomic

            write_atomic(args.output, render_document(doc, text))
            print(f"show: {args.output}", file=sys.stderr)
            return EXIT_OK
        missing = write_site(docs, args.output)
    except (DatongError, OSError) as exc:
        return _fail(str(exc))
    for doc_id in missing:
        print(f"error: {doc_id}: the original text was not found (give --corpus); no page", file=sys.stderr)
    print(f"show: {len(docs) - len(missing)} pages and {args.output / 'index.html'}", file=sys.stderr)
    return EXIT_FAILED if missing else EXIT_OK


def gold_main(argv: Sequence[str] | None = None, prog: str = "datong-nlp gold") -> int:
    """Run `datong-nlp gold import|export|config`."""
    p = _parser(prog, "Gold files to and from annotation tools (Label Studio, doccano).")
    sub = p.add_subparsers(dest="action", required=True, metavar="{import,export,config}")
    imp = sub.add_parser("import", prog=f"{prog} import", help="an annotation tool's export -> schema-v1 gold files",
                         description="Read a Label Studio JSON export or a doccano JSONL export into one schema-v1 gold "
                                     "file per task, OUTDIR/<doc_id>.json. Every span is checked against the task's "
                                     "text; bad spans are listed, one line each, and nothing is written.")
    imp.add_argument("export", type=Path, help="the export file")
    imp.add_argument("--from", dest="tool", choices=("label-studio", "doccano"), required=True)
    imp.add_argument("-o", "--outdir", type=Path, required=True, help="the gold folder to write")
    imp.add_argument("--predictions", action="store_true",
                     help="Label Studio: a task nobody annotated gives its pre-annotations (default: skipped)")
    exp = sub.add_parser("export", prog=f"{prog} export", help="outputs (or gold files) -> tasks for an annotation tool",
                         description="Turn output (or gold) JSON files into Label Studio tasks with pre-annotations, "
                                     "or doccano JSONL, to be corrected and imported back as gold.")
    exp.add_argument("out_dir", type=Path, help="a folder of output or gold JSON files (or one file)")
    exp.add_argument("--to", dest="tool", choices=("label-studio", "doccano"), required=True)
    exp.add_argument("-o", "--output", type=Path, required=True, help="tasks.json (Label Studio) or .jsonl (doccano)")
    exp.add_argument("--as-annotations", action="store_true",
                     help="Label Studio: write the regions as annotations instead of predictions")
    _corpus_arg(exp)
    cfg = sub.add_parser("config", prog=f"{prog} config", help="print the Label Studio labelling config")
    cfg.add_argument("-o", "--output", type=Path, default=None, help="write it to this file instead")
    args = p.parse_args(argv)
    if args.action == "config":
        return _gold_config(args.output)
    if args.action == "import":
        return _gold_import(args.export, args.tool, args.outdir, args.predictions)
    return _gold_export(args.out_dir, args.tool, args.output, args.corpus, args.as_annotations)


def _gold_config(output: Path | None) -> int:
    from .goldio import label_config

    if output is None:
        sys.stdout.write(label_config())
    else:
        output.write_text(label_config(), encoding="utf-8")
    return EXIT_OK


def _gold_import(export: Path, tool: str, outdir: Path, predictions: bool) -> int:
    import json

    from .goldio import GoldImportError, from_doccano, from_label_studio
    from .output import dumps, write_atomic
    from .schema import validate_document

    try:
        raw = export.read_text(encoding="utf-8-sig")
        if tool == "label-studio":
            tasks = json.loads(raw)
            docs, warnings = from_label_studio(tasks if isinstance(tasks, list) else [tasks], predictions)
        else:
            stripped = raw.strip()
            lines = json.loads(stripped) if stripped.startswith("[") else [json.loads(x) for x in raw.splitlines() if x.strip()]
            docs, warnings = from_doccano(lines, _claim_parser()), []
    except OSError as exc:
        return _fail(f"{export}: cannot be read ({exc.strerror or exc})")
    except GoldImportError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"gold import: {len(exc.problems)} bad spans; nothing written", file=sys.stderr)
        return EXIT_FAILED
    except (ValueError, AttributeError, TypeError) as exc:
        return _fail(f"{export}: not a {tool} JSON export ({type(exc).__name__}: {exc})")
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for doc in docs:
        problems = validate_document(doc)
        if problems:
            return _fail(f"{doc['doc_id']}: the imported gold breaks the schema: {problems[0]}", EXIT_FAILED)
    for doc in docs:
        write_atomic(outdir / f"{doc['doc_id']}.json", dumps(doc))
    print(f"gold import: {len(docs)} gold files in {outdir} "
          f"({sum(len(d['claims']) for d in docs)} claims, {sum(len(d['entities']) for d in docs)} entities)", file=sys.stderr)
    return EXIT_OK


def _claim_parser() -> Callable[[str], tuple[float, float | None, str] | None]:
    """(value, value_max, unit) of a span text that is exactly one claim, by the extractor; else None."""
    from .pipeline import Extractor

    extractor = Extractor()

    def parse(span: str) -> tuple[float, float | None, str] | None:
        claims = extractor.extract_text(span).claims
        if len(claims) != 1 or (claims[0].start, claims[0].end) != (0, len(span)):
            return None
        c = claims[0]
        return (int(c.value) if float(c.value).is_integer() else c.value), c.value_max, c.unit

    return parse


def _gold_export(out_dir: Path, tool: str, output: Path, corpus: Path | None, as_annotations: bool) -> int:
    import json

    from .goldio import to_doccano, to_label_studio
    from .output import write_atomic
    from .texts import corpus_candidates, iter_outputs, original_text

    if not out_dir.exists():
        return _fail(f"{out_dir}: not found")
    try:
        candidates = corpus_candidates(out_dir if out_dir.is_dir() else out_dir.parent, corpus)
        docs, missing = [], []
        for _, doc in iter_outputs(out_dir):
            text = original_text(doc, candidates)
            if text is None:
                missing.append(str(doc.get("doc_id")))
            else:
                docs.append((doc, text))
    except DatongError as exc:
        return _fail(str(exc))
    for doc_id in missing:
        print(f"error: {doc_id}: the original text was not found (give --corpus); left out", file=sys.stderr)
    if tool == "label-studio":
        write_atomic(output, json.dumps(to_label_studio(docs, not as_annotations), ensure_ascii=False, indent=1) + "\n")
    else:
        write_atomic(output, "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in to_doccano(docs)))
    print(f"gold export: {len(docs)} tasks -> {output}", file=sys.stderr)
    return EXIT_FAILED if missing else EXIT_OK


def check_rules_main(argv: Sequence[str] | None = None, prog: str = "datong-nlp check-rules") -> int:
    """Validate a rules folder, then run its examples and negatives (exit 1: one line per failing example)."""
    p = _parser(prog, "Validate a rules folder (every file, entry and regex: exit 2 on an error), then run its "
                      "examples and negatives (exit 1, one line per failure).")
    p.add_argument("rules_dir", type=Path, nargs="?", default=None, help="the folder (default: the shipped rules)")
    p.add_argument("--structure-only", action="store_true", help="validate only; do not run the examples")
    args = p.parse_args(argv)
    from .rules import load_rules

    try:
        rules = load_rules(args.rules_dir)
    except RulesError as exc:
        return _fail(f"rules: {exc}", EXIT_USAGE)
    failures = [] if args.structure_only else _run_examples(rules.directory)
    for failure in failures:
        print(failure)
    if failures:
        return _fail(f"rules: {len(failures)} of {len(rules.examples)} examples fail", EXIT_FAILED)
    checked = "not run" if args.structure_only else "all pass"
    print(f"rules OK: {rules.directory} ({len(rules.unit_surfaces)} unit surfaces, {len(rules.gazetteer)} "
          f"gazetteer entries, {len(rules.examples)} examples, {checked})")
    return EXIT_OK


def _run_examples(rules_dir: Path) -> list[object]:
    from .examples import run_examples  # loads the whole pipeline: only when examples are run

    return list(run_examples(rules_dir))


def explain_main(argv: Sequence[str] | None = None, prog: str = "datong-nlp explain") -> int:
    """Show every stage's result on one sentence, with the rules that fired."""
    p = _parser(prog, "Show the times, quantities, claims and entities of one sentence, each with the id of the "
                      "rule that decided it.")
    p.add_argument("text", help="the sentence (any script)")
    p.add_argument("--rules", type=Path, default=None, help="a rules folder (default: the rules shipped with the package)")
    p.add_argument("--locale", choices=LOCALES, default=None, help="the place of the text (default: inferred)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the lines")
    args = p.parse_args(argv)
    from .corpus import extractor
    from .explain import explain, format_explanation

    try:
        result = explain(extractor(args.rules), args.text, args.locale)
    except RulesError as exc:
        return _fail(f"rules: {exc}", EXIT_USAGE)
    print(json.dumps(result, ensure_ascii=False, indent=1) if args.json else format_explanation(result))
    return EXIT_OK
