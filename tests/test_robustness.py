"""Bad input never stops a batch and never loses an article (a corpus built here, one file per case)."""

import socket
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.ingest import decode_bytes
from pipeline.run import extract_text, run_pipeline

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = (
    "به گزارش ایسنا، صادرات ایران به عراق در سال گذشته 235 میلیون دلار بود.\r\n"
    "این رقم برای سال آینده 300 تا 400 میلیون دلار پیش بینی شده است.\n"
)
FACT_COLUMNS = ["fact_type", "start", "end", "text", "rule_id", "amount", "amount_min", "amount_max", "currency"]
HTML_PAGE = (
    "<!DOCTYPE html><html><head><title>خبر</title><style>p{margin:1}</style>"
    "<script>var price = '۹۹۹ میلیون دلار';</script></head><body>"
    "<p>صادرات&nbsp;۲۳۵ میلیون دلار بود&#46;</p><p class=\"x\">واردات ۱۲ میلیارد تومان.</p>"
    "<!-- ۵۰۰ هزار یورو --></body></html>"
)

# name → (bytes, status, encoding); the good ones must give the same facts as their text alone
CASES = {
    "utf8": (ARTICLE.encode("utf-8"), "ok", "utf-8"),
    "utf8_bom": (b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"), "ok", "utf-8-sig"),
    "utf16": (ARTICLE.encode("utf-16"), "ok", "utf-16"),
    "windows1256": (ARTICLE.replace("ی", "ي").encode("cp1256"), "ok", "cp1256"),
    "crlf_mixed": (ARTICLE.replace("\n", "\r\n", 1).encode("utf-8"), "ok", "utf-8"),
    "invisible_marks": ("صادرات ۲۳۵\u200f میلیون\u200d دلار\ufeff بود و رئیس\u200cجمهور \u200eگفت.".encode(), "ok", "utf-8"),
    "lookalikes": ("صادرات ٢٣٥ ميليون دلار بود و كشور رشد كرد.".encode(), "ok", "utf-8"),
    "latin": (b"Exports reached 235 million dollars last year.", "ok", "utf-8"),
    "html_page": (HTML_PAGE.encode("utf-8"), "ok", "utf-8"),
    "empty": (b"", "empty", None),
    "whitespace": ("  \r\n\t\u200c\u200f \n".encode(), "empty", "utf-8"),
    "nul_bytes": (b"abc\x00\x00def", "binary", None),
    "image": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary", None),
    "latin1_french": ("Café crème, déjà vu à Paris, 235 euros.".encode("cp1252"), "undecodable", None),
    "utf16_garbage": (b"\xff\xfe\x00\xd8bad", "undecodable", None),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for name, (data, _, _) in CASES.items():
        (folder / f"{name}.txt").write_bytes(data)
    (folder / "one_line_20mb.txt").write_bytes(("صادرات ۲۳۵ میلیون دلار " * 900_000).encode()[:20_000_000])
    for seed in sorted((ROOT / "seeds").glob("*.txt"))[:2]:
        (folder / seed.name).write_bytes(seed.read_bytes())
    return folder


@pytest.fixture(scope="module")
def corpus_run(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(app, ["run", str(corpus), "--out", str(out), "--no-progress", "--workers", "1"])
    return out, result


def facts_of(frame: pd.DataFrame) -> list[tuple]:
    return sorted(frame[FACT_COLUMNS].astype(str).itertuples(index=False, name=None))


def test_every_input_has_a_status_and_every_failure_a_reason(corpus, corpus_run):
    out, result = corpus_run
    assert result.exit_code == 0, result.output
    documents = pd.read_parquet(out / "documents.parquet").set_index("doc_id")
    assert set(documents.index) == {p.stem for p in corpus.glob("*.txt")}
    for name, (_, status, encoding) in CASES.items():
        assert documents.loc[name, "status"] == status, name
        if status == "ok":
            assert documents.loc[name, "encoding"] == encoding, name
        else:
            assert documents.loc[name, "reason"], name
    assert documents.loc["one_line_20mb", "status"] == "too_large"
    assert "20.0 MB" in documents.loc["one_line_20mb", "reason"]
    assert "PNG" in documents.loc["image", "reason"]
    assert "not processed (binary 2, empty 2, too_large 1, undecodable 2)" in result.output


def test_good_articles_give_the_facts_they_give_alone(corpus, corpus_run):
    out, _ = corpus_run
    documents = pd.read_parquet(out / "documents.parquet").set_index("doc_id")
    facts = pd.read_parquet(out / "facts.parquet")
    for doc_id in documents.index[documents.status == "ok"]:
        raw = documents.loc[doc_id, "text"]
        got = facts[facts.doc_id == doc_id]
        assert facts_of(got) == facts_of(extract_text(raw, doc_id)), doc_id
        assert all(raw[f.start : f.end] == f.text for f in got.itertuples())
    money = facts[facts.fact_type == "money"]
    assert set(money[money.doc_id == "windows1256"].amount.dropna()) == {235_000_000}
    assert set(money[money.doc_id == "lookalikes"].amount) == {235_000_000}
    assert money[money.doc_id == "invisible_marks"].text.tolist() == ["۲۳۵\u200f میلیون\u200d دلار"]


def test_decoded_offsets_refer_to_the_decoded_text(corpus_run):
    out, _ = corpus_run
    facts = pd.read_parquet(out / "facts.parquet")
    by_doc = {d: sorted(zip(f.start, f.end)) for d, f in facts.groupby("doc_id")}
    # the BOM is not part of the text, so the offsets are those of the file without it
    assert by_doc["utf8_bom"] == by_doc["utf16"] == by_doc["utf8"]


def test_html_tags_and_entities_never_become_facts(corpus_run):
    out, _ = corpus_run
    facts = pd.read_parquet(out / "facts.parquet")
    page = facts[facts.doc_id == "html_page"]
    assert page.text.tolist() == ["۲۳۵ میلیون دلار", "۱۲ میلیارد تومان"]
    assert HTML_PAGE[page.start.iloc[0] : page.end.iloc[0]] == "۲۳۵ میلیون دلار"
    sentences = pd.read_parquet(out / "sentences.parquet")
    assert not sentences[sentences.doc_id == "html_page"].text.str.contains("<p").any()


def test_strict_turns_unreadable_inputs_into_a_failed_exit(corpus, tmp_path):
    result = CliRunner().invoke(app, ["run", str(corpus), "--out", str(tmp_path), "--no-progress", "--strict"])
    assert result.exit_code == 1


def test_a_failing_stage_is_recorded_and_the_batch_goes_on(tmp_path, monkeypatch):
    import pipeline.run

    for name in ("good", "boom"):
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / f"{name}.txt").write_text("صادرات ۲۳۵ میلیون دلار بود.", encoding="utf-8")
    real = pipeline.run.match_document

    def match_or_raise(doc, *args):
        if doc.doc_id == "boom":
            raise ValueError("a producer broke")
        return real(doc, *args)

    monkeypatch.setattr(pipeline.run, "match_document", match_or_raise)
    result = CliRunner().invoke(app, ["run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--no-progress"])
    assert result.exit_code == 1
    assert "1 stage errors" in result.output
    errors = pd.read_parquet(tmp_path / "out" / "errors.parquet")
    assert errors.to_dict("records") == [{"doc_id": "boom", "stage": "match", "error": "ValueError", "message": "a producer broke"}]
    documents = pd.read_parquet(tmp_path / "out" / "documents.parquet").set_index("doc_id")
    assert documents.loc["boom", "status"] == "failed"
    assert documents.loc["boom", "reason"] == "match failed: ValueError: a producer broke"
    assert pd.read_parquet(tmp_path / "out" / "facts.parquet").doc_id.tolist() == ["good"]


def test_decoding_needs_confidence():
    assert decode_bytes(bytes(range(0x80, 0x100)) * 3).status == "undecodable"
    assert decode_bytes("سلام".replace("ی", "ي").encode("cp1256")).encoding == "cp1256"
    assert decode_bytes("hello world".encode("utf-16")).text == "hello world"


def test_a_crash_leaves_no_half_written_table_and_a_rerun_completes(tmp_path, monkeypatch):
    import pipeline.run

    clean = run_pipeline(ROOT / "seeds", tmp_path / "clean", batch_size=1)  # one batch per article
    real_write = pipeline.run.BatchStore.write_parts
    written = []

    def crash_on_second_batch(store, part, tables):
        if written:
            raise KeyboardInterrupt
        real_write(store, part, tables)
        written.append(part)

    monkeypatch.setattr(pipeline.run.BatchStore, "write_parts", crash_on_second_batch)
    with pytest.raises(KeyboardInterrupt):
        run_pipeline(ROOT / "seeds", tmp_path / "out", batch_size=1)
    (tmp_path / "out" / "facts" / ".part-x.parquet.999.tmp").write_bytes(b"PAR1 half")  # a killed writer's leftover
    for path in (tmp_path / "out").rglob("*.parquet"):
        pd.read_parquet(path)  # every visible file is whole
    monkeypatch.setattr(pipeline.run.BatchStore, "write_parts", real_write)
    rerun = run_pipeline(ROOT / "seeds", tmp_path / "out", batch_size=1)
    assert (rerun.batches_skipped, rerun.batches_run) == (1, 4)
    assert not list((tmp_path / "out").rglob("*.tmp"))
    expected = pd.read_parquet(tmp_path / "clean" / "facts.parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "out" / "facts.parquet"), expected)
    assert rerun.facts == clean.facts


def test_a_failed_write_keeps_the_previous_file(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    from pipeline.schemas import empty_frame, write_table

    path = write_table("errors", empty_frame("errors"), tmp_path)

    def half_write(table, where, **kwargs):
        Path(where).write_bytes(b"PAR1 half")
        raise OSError("disk full")

    monkeypatch.setattr(pq, "write_table", half_write)
    with pytest.raises(OSError):
        write_table("errors", empty_frame("errors"), tmp_path)
    assert pd.read_parquet(path).empty
    assert [p.name for p in tmp_path.iterdir()] == ["errors.parquet"]


def test_no_network_and_paths_in_table_inputs_are_data(tmp_path, monkeypatch):
    secret = tmp_path / "secret.txt"
    secret.write_text("۹۹۹ میلیون دلار", encoding="utf-8")
    table = tmp_path / "articles.jsonl"
    table.write_text(
        '{"doc_id": "p", "text": "%s", "path": "%s"}\n{"doc_id": "u", "text": "http://127.0.0.1:9/x"}\n' % (secret, secret),
        encoding="utf-8",
    )

    def no_network(*args, **kwargs):
        raise AssertionError("the pipeline opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    run_pipeline(table, tmp_path / "out")
    documents = pd.read_parquet(tmp_path / "out" / "documents.parquet").set_index("doc_id")
    assert documents.loc["p", "text"] == str(secret)
    assert documents.loc["p", "source_path"] == f"{table}:1"
    assert pd.read_parquet(tmp_path / "out" / "facts.parquet").empty


BROKEN_RULES = {
    "bad_yaml": ("money.yaml", lambda text: text + "\n  - id: [unclosed\n", "cannot read YAML"),
    "unknown_key": ("money.yaml", lambda text: text.replace("  - id: money.", "  - colour: red\n    id: money.", 1), "unknown key(s) ['colour']"),
    "duplicate_id": ("money.yaml", lambda text: text + "\n" + _first_rule(text), "duplicate rule id"),
    "bad_pattern": ("money.yaml", lambda text: text.replace("pattern: ", "pattern: (?P<x>[", 1), "does not compile"),
}


def _first_rule(text: str) -> str:
    lines = text[text.index("  - id: money.") :].splitlines()
    end = next(i for i, line in enumerate(lines[1:], 1) if line.startswith("  - id:"))
    return "\n".join(lines[:end]) + "\n"


@pytest.mark.parametrize("case", sorted(BROKEN_RULES))
def test_a_broken_rule_file_stops_the_run_before_any_article(case, tmp_path):
    import shutil

    file_name, breaks, fault = BROKEN_RULES[case]
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / file_name).write_text(breaks((rules / file_name).read_text(encoding="utf-8")), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", str(ROOT / "seeds"), "--out", str(out), "--rules", str(rules), "--no-progress"])
    assert result.exit_code == 2
    assert str(rules / file_name) in result.output
    assert fault in result.output
    if case != "bad_yaml":
        assert "rule money." in result.output
    assert not out.exists()


def test_ctrl_c_says_how_to_resume(tmp_path, monkeypatch):
    import pipeline.run

    def interrupt(store, result):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline.run.BatchStore, "write_manifest", interrupt)
    result = CliRunner().invoke(app, ["run", str(ROOT / "seeds"), "--out", str(tmp_path), "--no-progress"])
    assert result.exit_code == 130
    assert "the same command resumes" in result.output


@pytest.mark.parametrize("function,stage", [("link_facts", "link"), ("build_statements", "statements")])
def test_a_failing_per_article_stage_fails_only_its_article(tmp_path, monkeypatch, function, stage):
    import pipeline.run

    (tmp_path / "in").mkdir()
    for name in ("good", "boom"):
        (tmp_path / "in" / f"{name}.txt").write_text("صادرات ۲۳۵ میلیون دلار بود.", encoding="utf-8")
    real = getattr(pipeline.run, function)

    def stage_or_raise(facts, *args):
        if "boom" in set(facts.doc_id):
            raise KeyError("no sentence")
        return real(facts, *args)

    monkeypatch.setattr(pipeline.run, function, stage_or_raise)
    summary = run_pipeline(tmp_path / "in", tmp_path / "out")
    assert summary.errors == 1 and summary.not_ok == {"failed": 1}
    errors = pd.read_parquet(tmp_path / "out" / "errors.parquet")
    assert errors[["doc_id", "stage", "error"]].values.tolist() == [["boom", stage, "KeyError"]]
    for table in ("facts", "sentences", "normalized", "statements"):
        assert set(pd.read_parquet(tmp_path / "out" / f"{table}.parquet").doc_id) == {"good"}, table
    assert len(pd.read_parquet(tmp_path / "out" / "facts_links.parquet")) == 1
    assert [list(ids) for ids in pd.read_parquet(tmp_path / "out" / "claims.parquet").doc_ids] == [["good"]]


def _free_port() -> int:
    """A local port nothing listens on (bound for a moment, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _misuse(case: str, tmp_path: Path) -> list[str]:
    """The `facts run` arguments of a misuse case."""
    (tmp_path / "empty_rules").mkdir()
    (tmp_path / "a_file").write_text("not a folder", encoding="utf-8")
    seeds, out = str(ROOT / "seeds"), str(tmp_path / "out")
    return {
        "out_is_a_file": [seeds, "--out", str(tmp_path / "a_file")],
        "rules_missing": [seeds, "--out", out, "--rules", str(tmp_path / "no_rules")],
        "rules_empty": [seeds, "--out", out, "--rules", str(tmp_path / "empty_rules")],
        "input_missing": [str(tmp_path / "no_such_folder"), "--out", out],
        "table_input_missing": [str(tmp_path / "no_such_table.jsonl"), "--out", out],
        "scheduler_unreachable": [seeds, "--out", out, "--scheduler", f"tcp://127.0.0.1:{_free_port()}"],
    }[case]


@pytest.mark.parametrize(
    "case, message",
    [
        ("out_is_a_file", "a_file is a file, not a folder"),
        ("rules_missing", "the rules folder {tmp}/no_rules does not exist"),
        ("rules_empty", "{tmp}/empty_rules holds no rule files"),
        ("input_missing", "input {tmp}/no_such_folder does not exist"),
        ("table_input_missing", "input {tmp}/no_such_table.jsonl does not exist"),
        ("scheduler_unreachable", "cannot reach the Dask scheduler tcp://127.0.0.1:"),
    ],
)
def test_misuse_is_told_in_one_line_and_nothing_runs(case, message, tmp_path, monkeypatch):
    import pipeline.run

    if case == "scheduler_unreachable":
        pytest.importorskip("distributed")
        monkeypatch.setattr(pipeline.run, "SCHEDULER_TIMEOUT", "1s")
    result = CliRunner().invoke(app, ["run", *_misuse(case, tmp_path), "--no-progress", "--workers", "1"])
    assert result.exit_code == 2, result.output
    [line] = result.output.strip().splitlines()
    assert line.startswith("error: ") and message.format(tmp=tmp_path) in line
    if case != "scheduler_unreachable":  # nothing was read or written
        assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", [["evaluate", "--gold", "{tmp}/gold.jsonl"], ["review", "import", "{tmp}/facts.csv"]])
def test_a_missing_file_to_evaluate_or_import_does_not_exist(command, tmp_path):
    result = CliRunner().invoke(app, [part.format(tmp=tmp_path) for part in command])
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert line.startswith(f"error: {tmp_path}/") and "does not exist" in line
