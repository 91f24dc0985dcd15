"""Command-line interface: `extract`, `evaluate`, `datong-nlp check-rules` — thin layers over the library."""

from __future__ import annotations

import argparse
import functools
import json
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NoReturn

from . import cli_tools
from .cli_dates import add_date_options, read_doc_dates
from .corpus import CorpusRun, DocResult, extractor, prepare_output_dir, process_document
from .decode import find_inputs, read_text
from .output import remove_temp_files
from .pipeline import LOCALES
from .progress import Progress
from .provenance import TOOL_VERSION
from .rules import load_rules
from .scoring import GoldError, check_gold, evaluate_documents, format_errors, format_table, load_json
from .types import DatongError, RulesError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _extract_parser(prog: str = "extract") -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=prog, description="Extract numeric claims and named entities from Chinese texts: one schema-v1 JSON "
                               "per *.txt file of CORPUS (searched recursively), written to OUTDIR/<doc_id>.json.")
    p.add_argument("corpus", type=Path, help="a folder of .txt files (or one .txt file)")
    p.add_argument("-o", "--outdir", type=Path, default=Path("outputs"), help="where to write the JSON files "
                   "(default: outputs/)")
    p.add_argument("--rules", type=Path, default=None, help="a rules folder (default: the rules shipped with the package)")
    p.add_argument("--locale", choices=LOCALES, default=None,
                   help="the place of the texts, deciding what a bare 元 is (default: inferred from each text)")
    p.add_argument("-j", "--jobs", type=_jobs, default="0",
                   help="worker processes; 0 (the default) means all cores")
    p.add_argument("--fail-fast", action="store_true", help="stop at the first document that fails")
    add_date_options(p)
    p.add_argument("--resume", action="store_true",
                   help="skip documents whose output exists, is newer than the input, has the same text hash "
                        "and was made by this version with the same rules (tool_version, rules_sha256)")
    p.add_argument("-q", "--quiet", action="store_true", help="no per-document progress lines")
    _add_version(p)
    return p


def _jobs(value: str) -> int:
    """`--jobs`: a whole number, 0 meaning all cores; negative is a usage error."""
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError(f"{jobs} is negative (0 means all cores)")
    return jobs or (os.cpu_count() or 1)


def _add_version(p: argparse.ArgumentParser) -> None:
    p.add_argument("--version", action="version", version=f"%(prog)s {TOOL_VERSION}")


def _evaluate_parser(prog: str = "evaluate") -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog, description="Score predicted JSON files against gold files "
                                "(annotation guide, section 4). Files are paired by <doc_id>.json, recursively.")
    p.add_argument("pred_dir", type=Path, help="folder of predicted JSON files (e.g. outputs/)")
    p.add_argument("gold_dir", type=Path, help="folder of gold JSON files (e.g. corpus/gold/)")
    p.add_argument("--corpus", type=Path, default=None,
                   help="folder of the texts, to check gold offsets and show context (default: GOLD_DIR/..)")
    p.add_argument("--rules", type=Path, default=None, help="rules folder whose unit table converts units")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    p.add_argument("--errors", type=Path, default=None, help="also write every error as JSON lines to this file")
    p.add_argument("--show-errors", action="store_true", help="print the error listing after the table")
    p.add_argument("--min-claims-f1", type=float, default=None, help="exit 1 when claims F1 is below this")
    p.add_argument("--min-entities-f1", type=float, default=None, help="exit 1 when entities F1 is below this")
    p.add_argument("--html", type=Path, default=None,
                   help="also write gold and predictions side by side as HTML pages to this folder (index.html)")
    _add_version(p)
    return p


def extract_main(argv: Sequence[str] | None = None, prog: str = "extract") -> int:
    """Run `extract`."""
    args = _extract_parser(prog).parse_args(argv)
    started = time.perf_counter()
    corpus: Path = args.corpus
    if not corpus.exists():
        return _fail(f"{corpus}: corpus not found", EXIT_USAGE)
    inputs = list(find_inputs(corpus))
    if corpus.is_file() and corpus.suffix != ".txt":
        print(f"warning: {corpus}: not a .txt file; extracting it all the same", file=sys.stderr)
    if not inputs:
        return _fail(f"{corpus}: no .txt files found", EXIT_USAGE)
    try:
        prepare_output_dir(args.outdir)
    except DatongError as exc:
        return _fail(str(exc), EXIT_USAGE)
    jobs = max(1, min(args.jobs, len(inputs)))
    try:  # validate before any document is touched (one process: load the extractor it will use)
        if jobs == 1:
            extractor(args.rules)
        else:
            load_rules(args.rules)
    except RulesError as exc:
        return _fail(f"rules: {exc}", EXIT_USAGE)
    try:
        dates = read_doc_dates(args.doc_dates) if args.doc_dates else ()
    except DatongError as exc:
        return _fail(str(exc), EXIT_USAGE)
    run = CorpusRun(corpus, args.outdir, args.rules, args.locale, args.resume, doc_date=args.doc_date,
                    doc_dates=dates)
    results: list[DocResult] = []
    interrupted = _run_documents(run, inputs, jobs, args.fail_fast, args.quiet, results)
    ok = sum(r.status == "ok" for r in results)
    failed = sum(r.status == "failed" for r in results)
    skipped = sum(r.status == "skipped" for r in results)
    claims = sum(r.claims for r in results)
    entities = sum(r.entities for r in results)
    elapsed = time.perf_counter() - started
    not_run = len(inputs) - len(results)
    tail = f", {not_run} not run" if not_run else ""
    head = f"interrupted by {signal.Signals(interrupted).name}: " if interrupted else ""
    print(f"extract: {head}{len(results)} documents (ok {ok}, failed {failed}, skipped {skipped}{tail}), "
          f"{claims} claims, {entities} entities, {elapsed:.2f} s", file=sys.stderr)
    if interrupted:
        return 128 + interrupted
    return EXIT_FAILED if failed else EXIT_OK


class _Interrupted(BaseException):
    """SIGINT or SIGTERM arrived; `signum` says which."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_interrupted(signum: int, _frame: object) -> None:
    raise _Interrupted(signum)


def _run_documents(run: CorpusRun, inputs: list[Path], jobs: int, fail_fast: bool, quiet: bool,
                   results: list[DocResult]) -> int:
    """Process `inputs` (in order, `jobs` processes), appending to `results`.

    Returns 0, or the number of the signal (SIGINT, SIGTERM) that stopped the run.  An
    interrupted run stops its workers and removes their temporary files: every output
    left is complete.
    """

    sizes = [_size(path) for path in inputs]
    progress = Progress(len(inputs), sum(sizes), quiet)

    def report(result: DocResult) -> bool:
        results.append(result)
        progress.advance(result, sizes[len(results) - 1])  # results come in the order of inputs
        return result.status == "failed" and fail_fast

    previous = {sig: signal.signal(sig, _raise_interrupted) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        if jobs == 1:
            for path in inputs:
                if report(process_document(run, path)):
                    break
        else:
            # Pool's context exit terminates the workers: at the end, on --fail-fast and on a signal
            with multiprocessing.Pool(jobs, initializer=run.init_worker) as pool:
                for result in pool.imap(functools.partial(process_document, run), inputs):
                    if report(result):
                        break
        return 0
    except _Interrupted as exc:
        remove_temp_files(run.outdir)  # what a terminated worker was writing
        return exc.signum
    finally:
        progress.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def evaluate_main(argv: Sequence[str] | None = None, prog: str = "evaluate") -> int:
    """Run `evaluate`."""
    args = _evaluate_parser(prog).parse_args(argv)
    for folder in (args.pred_dir, args.gold_dir):
        if not folder.is_dir():
            return _fail(f"{folder}: folder not found", EXIT_USAGE)
    try:
        rules = load_rules(args.rules)
    except RulesError as exc:
        return _fail(f"rules: {exc}", EXIT_USAGE)
    corpus = args.corpus or args.gold_dir.parent
    preds = {p.relative_to(args.pred_dir).with_suffix("").as_posix(): p for p in args.pred_dir.rglob("*.json")}
    pairs = []
    try:
        for gold_path in sorted(args.gold_dir.rglob("*.json")):
            doc_id = gold_path.relative_to(args.gold_dir).with_suffix("").as_posix()
            gold = load_json(gold_path)
            text = _gold_text(corpus, gold)
            check_gold(gold_path, gold, text)
            pred = load_json(preds[doc_id]) if doc_id in preds else None
            pairs.append((doc_id, pred, gold, text))
    except GoldError as exc:
        return _fail(str(exc), EXIT_USAGE)
    if not pairs:
        return _fail(f"{args.gold_dir}: no gold .json files found", EXIT_USAGE)
    for warning in _pairing_warnings(args.pred_dir, args.gold_dir, preds, [d for d, *_ in pairs]):
        print(f"warning: {warning}", file=sys.stderr)
    report = evaluate_documents(pairs, rules)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=1))
    else:
        print(format_table(report))
        if args.show_errors:
            print()
            print(format_errors(report))
    if args.html:
        from .show import write_report

        write_report(args.html, pairs, report.errors, report.per_doc)
        print(f"evaluate: HTML report in {args.html / 'index.html'}", file=sys.stderr)
    if args.errors:
        with args.errors.open("w", encoding="utf-8") as fh:
            for error in report.errors:
                fh.write(json.dumps(error, ensure_ascii=False) + "\n")
    status = EXIT_OK
    if args.min_claims_f1 is not None and report.claims.f1 < args.min_claims_f1:
        print(f"claims F1 {report.claims.f1:.4f} is below {args.min_claims_f1}", file=sys.stderr)
        status = EXIT_FAILED
    if args.min_entities_f1 is not None and report.entities.f1 < args.min_entities_f1:
        print(f"entities F1 {report.entities.f1:.4f} is below {args.min_entities_f1}", file=sys.stderr)
        status = EXIT_FAILED
    return status


def _pairing_warnings(pred_dir: Path, gold_dir: Path, preds: dict[str, Path], gold_ids: list[str]) -> list[str]:
    """What looks wrong with how predictions and gold files pair up: none match, the folders look
    swapped (the "gold" files carry the extractor's `tool_version` and the predictions do not), and
    predictions without gold."""
    warnings = []
    if not set(preds) & set(gold_ids):
        warnings.append(f"no prediction in {pred_dir} matches a gold file of {gold_dir} (files pair by <doc_id>.json)")
    gold_made = _made_by_tool(gold_dir.rglob("*.json"))
    if gold_made and not _made_by_tool(preds.values()):
        warnings.append(f"the folders look swapped: {gold_dir} holds extractor outputs (tool_version) and {pred_dir} "
                        "does not; the order is `evaluate PRED_DIR GOLD_DIR`")
    extra = sorted(set(preds) - set(gold_ids))
    if extra:
        shown = ", ".join(extra[:20]) + (f" … ({len(extra) - 20} more)" if len(extra) > 20 else "")
        warnings.append(f"{len(extra)} prediction(s) without gold, not scored: {shown}")
    return warnings


def _made_by_tool(paths: Iterable[Path]) -> bool:
    """Whether the first readable JSON file of `paths` records a `tool_version` (an extractor output)."""
    for path in paths:
        try:
            return "tool_version" in load_json(path)
        except GoldError:
            continue
    return False


def _gold_text(corpus: Path, gold: dict) -> str | None:
    source = gold.get("source")
    if not isinstance(source, str):
        return None
    path = corpus / source
    if not path.is_file():
        return None
    try:
        return read_text(path)[0]
    except DatongError:
        return None


def check_rules_main(argv: Sequence[str] | None = None, prog: str = "datong-nlp check-rules") -> int:
    """Validate a rules folder, then run its examples and negatives (exit 1: one line per failing example)."""
    p = argparse.ArgumentParser(prog=prog, description="Validate a rules folder (every file, entry and regex: exit 2 "
                                "on an error), then run its examples and negatives (exit 1, one line per failure).")
    p.add_argument("rules_dir", type=Path, nargs="?", default=None, help="the folder (default: the shipped rules)")
    p.add_argument("--structure-only", action="store_true", help="validate only; do not run the examples")
    _add_version(p)
    args = p.parse_args(argv)
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


def _fail(message: str, status: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return status


def explain_main(argv: Sequence[str] | None = None, prog: str = "datong-nlp explain") -> int:
    """Show every stage's result on one sentence, with the rules that fired."""
    p = argparse.ArgumentParser(prog=prog, description="Show the times, quantities, claims and entities of one "
                                "sentence, each with the id of the rule that decided it.")
    p.add_argument("text", help="the sentence (any script)")
    p.add_argument("--rules", type=Path, default=None, help="a rules folder (default: the rules shipped with the package)")
    p.add_argument("--locale", choices=LOCALES, default=None, help="the place of the text (default: inferred)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the lines")
    args = p.parse_args(argv)
    from .explain import explain, format_explanation

    try:
        result = explain(extractor(args.rules), args.text, args.locale)
    except RulesError as exc:
        return _fail(f"rules: {exc}", EXIT_USAGE)
    print(json.dumps(result, ensure_ascii=False, indent=1) if args.json else format_explanation(result))
    return EXIT_OK


COMMANDS = {"extract": extract_main, "evaluate": evaluate_main, "check-rules": check_rules_main,
            "explain": explain_main, "table": cli_tools.table_main, "show": cli_tools.show_main,
            "gold": cli_tools.gold_main}


def main(argv: Sequence[str] | None = None) -> int:
    """`datong-nlp COMMAND ...`."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="datong-nlp", description="Chinese numeric-claim and entity extraction.",
                                     epilog="commands:\n  extract      extract claims and entities from a corpus\n"
                                            "  evaluate     score outputs against gold files\n"
                                            "  check-rules  validate a rules folder and run its examples\n"
                                            "  explain      show the rules that fired on one sentence\n"
                                            "  table        claims or entities as CSV, JSON lines or Parquet\n"
                                            "  show         outputs as HTML pages with claims and entities marked\n"
                                            "  gold         gold files to and from Label Studio and doccano\n"
                                            "Run `datong-nlp COMMAND --help` for a command's options.",
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=sorted(COMMANDS), help="the command to run")
    _add_version(parser)
    if not argv:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if argv[0] in ("-h", "--help", "--version") or argv[0] not in COMMANDS:
        parser.parse_args(argv[:1])
    return COMMANDS[argv[0]](argv[1:], prog=f"datong-nlp {argv[0]}")


def _exit(command: Callable[[], int]) -> NoReturn:
    """Run a console command and exit with its status; a reader that closed the pipe early
    (`evaluate ... --json | head`) ends the run quietly with status 141, as SIGPIPE would."""
    try:
        status = command()
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at interpreter exit
        status = 128 + signal.SIGPIPE
    sys.exit(status)


def run_extract() -> None:
    """Console entry point of `extract`."""
    _exit(extract_main)


def run_evaluate() -> None:
    """Console entry point of `evaluate`."""
    _exit(evaluate_main)


def run_main() -> None:
    """Console entry point of `datong-nlp`."""
    _exit(main)
