"""Command-line interface: `extract`, `evaluate`, `datong-nlp check-rules` — thin layers over the library."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import json
import os
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import cli_tools, console
from .cli_dates import add_date_options, read_doc_dates
from .corpus import CorpusRun, DocResult, extractor, is_current, prepare_output_dir, process_documents, warm_up
from .decode import find_inputs
from .output import remove_temp_files
from .progress import Progress
from .segment import BACKENDS, DEFAULT_BACKEND
from .types import LOCALES, DatongError, RulesError

# the pipeline, the rules and the evaluator (jsonschema) are imported where needed: `extract --resume`
# on a current corpus answers without them

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _extract_parser(prog: str = "extract") -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=prog, description="Extract numeric claims and named entities from Chinese texts: one schema-v1 JSON "
                               "per *.txt file of CORPUS (searched recursively), written to OUTDIR/<doc_id>.json.")
    p.add_argument("corpus", type=_corpus_arg, help="a folder of .txt files (or one .txt file), or a URL "
                   "(s3://bucket/texts, file:///data/texts; needs the dask extra)")
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
    p.add_argument("--segmenter", choices=BACKENDS, default=DEFAULT_BACKEND,
                   help="word segmenter: rjieba (jieba-rs, fast) or jieba; both give the same words "
                        f"(default: {DEFAULT_BACKEND})")
    p.add_argument("--dask", metavar="SCHEDULER", default=None,
                   help="run on a Dask cluster: tcp://host:8786, or `local` for a cluster of --jobs worker "
                        "processes on this machine (needs the dask extra)")
    return p


def _corpus_arg(value: str) -> Path:
    """A local path, or a URL read through fsspec (`distributed.corpus_location`)."""
    if "://" not in value:
        return Path(value)
    from .distributed import corpus_location

    return corpus_location(value)


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
    cli_tools.add_version(p)


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
    if args.dask:
        try:
            from .distributed import require_dask

            require_dask()
        except DatongError as exc:
            return _fail(str(exc), EXIT_USAGE)
    if "://" in str(corpus):
        from .distributed import find_url_inputs

        inputs = list(find_url_inputs(corpus))
    else:
        inputs = list(find_inputs(corpus))
    if corpus.is_file() and corpus.suffix != ".txt":
        print(f"warning: {corpus}: not a .txt file; extracting it all the same", file=sys.stderr)
    if not inputs:
        return _fail(f"{corpus}: no .txt files found", EXIT_USAGE)
    try:
        prepare_output_dir(args.outdir)
    except DatongError as exc:
        return _fail(str(exc), EXIT_USAGE)
    try:
        dates = read_doc_dates(args.doc_dates) if args.doc_dates else ()
    except DatongError as exc:
        return _fail(str(exc), EXIT_USAGE)
    run = CorpusRun(corpus, args.outdir, args.rules, args.locale, args.resume, args.segmenter, doc_date=args.doc_date,
                    doc_dates=dates)
    results: list[DocResult] = []
    todo = inputs
    if args.resume:  # current outputs are skipped before anything is loaded
        current = {p for p in inputs if is_current(run, p)}
        todo = [p for p in inputs if p not in current]
        for path in inputs:
            if path in current:
                results.append(DocResult(run.doc_id(path), "skipped", "up to date"))
                if not args.quiet:
                    print(f"skipped: {results[-1].doc_id} (up to date)", file=sys.stderr)
        run = dataclasses.replace(run, resume=False)
    jobs = max(1, min(args.jobs, len(todo)))
    if todo:
        try:  # validate before any document is touched; loaded once here, shared by forked workers
            if args.dask:  # the workers load their own
                from .rules import load_rules

                load_rules(args.rules)
            else:
                extractor(args.rules, args.segmenter)
                _freeze()
        except RulesError as exc:
            return _fail(f"rules: {exc}", EXIT_USAGE)
    try:
        interrupted = _run_documents(run, todo, jobs, args.fail_fast, args.quiet, results, args.dask)
    except DatongError as exc:  # the cluster cannot be used: raised before any document is touched
        return _fail(str(exc), EXIT_USAGE)
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
                   results: list[DocResult], dask: str | None = None) -> int:
    """Process `inputs` (`jobs` processes), appending to `results`: in input order with one process or on
    Dask; worker processes take the largest first (none left for the end) and report as they finish.

    Returns 0, or the number of the signal (SIGINT, SIGTERM) that stopped the run.  An
    interrupted run stops its workers and removes their temporary files: every output
    left is complete.
    """

    sizes = [_size(path) for path in inputs]
    progress = Progress(len(inputs), sum(sizes), quiet)

    done = len(results)  # `results` may already hold the documents --resume skipped

    def report(result: DocResult, nbytes: int) -> bool:
        results.append(result)
        progress.advance(result, nbytes)
        return result.status == "failed" and fail_fast

    def report_in_order(result: DocResult) -> bool:  # Dask: results in the order of inputs
        return report(result, sizes[len(results) - done])

    previous = {sig: signal.signal(sig, _raise_interrupted) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        if dask and inputs:
            from .distributed import run_on_dask

            run_on_dask(run, inputs, dask, jobs, report_in_order)
        elif jobs == 1:
            with contextlib.closing(process_documents(run, inputs)) as documents:
                for result, size in zip(documents, sizes, strict=False):  # stops early on --fail-fast
                    if report(result, size):
                        break
        elif inputs:
            import multiprocessing  # here: its imports (socket, threading, ...) cost one process 40 ms

            # forked workers inherit the loaded extractor; frozen, the collector leaves its pages shared
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            if context.get_start_method() == "fork":
                from .normalize import LONG  # loaded with the extractor

                warm_up(run.rules_dir, run.segmenter, long_texts=max(sizes) >= LONG)  # a long text has LONG bytes
                _freeze()  # and what the warm-up loaded
            # Pool's context exit terminates the workers: at the end, on --fail-fast and on a signal
            from .corpus import batches, process_batch

            tasks = [[(i, inputs[i]) for i in b] for b in batches(sorted(range(len(inputs)), key=lambda i: -sizes[i]), sizes)]
            with context.Pool(jobs, initializer=run.init_worker) as pool:
                for done_batch in pool.imap_unordered(functools.partial(process_batch, run), tasks):
                    if any(report(result, sizes[i]) for i, result in done_batch):
                        break
        return 0
    except _Interrupted as exc:
        remove_temp_files(run.outdir)  # what a terminated worker was writing
        return exc.signum
    finally:
        progress.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _freeze() -> None:
    """Freeze everything loaded so far (the extractor) and collect less often (`corpus.settle_gc`);
    never undone: the extractor lives as long as the process.  (No collection first: the load
    leaves no cyclic garbage, and one costs 30 ms.)"""
    from .corpus import settle_gc

    settle_gc()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def evaluate_main(argv: Sequence[str] | None = None, prog: str = "evaluate") -> int:
    """Run `evaluate`."""
    from .rules import load_rules
    from .scoring import (
        GoldError,
        check_gold,
        evaluate_documents,
        format_errors,
        format_table,
        gold_text,
        load_json,
        pairing_warnings,
    )

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
            text = gold_text(corpus, gold)
            check_gold(gold_path, gold, text)
            pred = load_json(preds[doc_id]) if doc_id in preds else None
            pairs.append((doc_id, pred, gold, text))
    except GoldError as exc:
        return _fail(str(exc), EXIT_USAGE)
    if not pairs:
        return _fail(f"{args.gold_dir}: no gold .json files found", EXIT_USAGE)
    for warning in pairing_warnings(args.pred_dir, args.gold_dir, preds, [d for d, *_ in pairs]):
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


def _fail(message: str, status: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return status


COMMANDS = {"extract": extract_main, "evaluate": evaluate_main, "check-rules": cli_tools.check_rules_main,
            "explain": cli_tools.explain_main, "table": cli_tools.table_main, "show": cli_tools.show_main,
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


def run_extract() -> None:
    """Console entry point of `extract`."""
    console.exit_with(extract_main, quick=True)


def run_evaluate() -> None:
    """Console entry point of `evaluate`."""
    console.exit_with(evaluate_main)


def run_main() -> None:
    """Console entry point of `datong-nlp`."""
    console.exit_with(main, quick=sys.argv[1:2] == ["extract"])
