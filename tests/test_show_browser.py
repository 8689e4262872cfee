"""facts show --html in a real browser: headless Chromium lays the pages out, a script measures
where each character landed, and the test reads the measurements back from the DOM.

What a parser of the HTML cannot see, the bidi algorithm decides: in a right-to-left page an id
such as ``000_342ea1a21e0b3a4c`` is shown as ``342ea1a21e0b3a4c_000`` unless isolated, a date
may wrap at its hyphen, and a left-to-right label can split a number from its noun. Screenshots
of the pages are kept in ``tests/artifacts/`` (not in git) for a person to look at.
"""

import html
import json
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from pipeline.cli import app

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium installed (Debian: apt-get install chromium; .ci/run installs it)"
)
ARTIFACTS = ROOT / "tests" / "artifacts"
WINDOW = (1280, 1000)
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
DOC = "000_342ea1a21e0b3a4c"
FIGURES = {  # the figures of each seed that start with a number (each is one line wide at WINDOW)
    "000_342ea1a21e0b3a4c": {"۹۰ میلیون نفر", "۱۴ سند همکاری"},
    "001_dc0e3ef97df6e412": {"۳۰۰ تا ۴۰۰ میلیون دلار"},
    "002_94cbfc6595e639c6": {
        "۲۳۵ میلیون دلار", "۲۴ توافق", "۲۷ نسخه خطی", "۳۱۰.۸ میلیون دلار", "۴۴.۹ درصد", "۵ هزار قزاق", "۵۰۰ هزار تن", "۸۵ درصد",
    },
    "003_47dfac17c01f8fdb": set(),
    "004_9a4f045b5da87826": {
        "۲۴ دستگاه", "۲۶۵ میلیون و ۲۰۰ هزار دلار", "۲۹ درصدی", "۳ میلیارد دلار", "۴۸ کانتینر", "۵ میلیون تن", "۵۰ درصدی",
        "۷۱ درصدی", "۷۲۹ هزار تن",
    },
}

# Appended to a copy of a page: measures the layout and writes it as JSON into <pre id="measured">.
MEASURE = """
<script>
function characters(node) {  // every character of an element with its box on the screen
  const found = [];
  const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    for (let i = 0; i < text.length; i++) {
      const range = document.createRange();
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      const box = range.getBoundingClientRect();
      if (box.width > 0) found.push({ch: text.data[i], left: box.left, right: box.right, top: Math.round(box.top)});
    }
  }
  return found;
}
function asShown(node) {  // the characters read off the screen line by line, left to right
  const found = characters(node).sort((a, b) => a.top - b.top || a.left - b.left);
  return {text: node.textContent, shown: found.map(c => c.ch).join(""), lines: new Set(found.map(c => c.top)).size};
}
function numberAndNoun(mark) {  // the gap between a labelled figure's number and the words after it
  const found = characters(mark);
  const space = found.findIndex(c => c.ch === " ");
  if (space < 1 || found.some(c => c.top !== found[0].top)) return null;  // one word, or wrapped
  const number = found.slice(0, space), words = found.slice(space + 1);
  return {text: mark.textContent, gap: Math.min(...number.map(c => c.left)) - Math.max(...words.map(c => c.right)),
          em: parseFloat(getComputedStyle(mark).fontSize)};
}
const measured = {
  heading: asShown(document.querySelector("h1")),
  ids: [...document.querySelectorAll("td a")].map(asShown),
  dates: [...document.querySelectorAll("td:nth-child(3)")].filter(td => td.textContent).map(asShown),
  figures: [...document.querySelectorAll("mark[data-label]")]
    .filter(m => /^[0-9۰-۹]/.test(m.textContent) && m.dataset.type !== "date")
    .map(numberAndNoun).filter(Boolean),
};
const out = document.createElement("pre");
out.id = "measured";
out.textContent = JSON.stringify(measured);
document.body.appendChild(out);
</script>
"""


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars",
               f"--user-data-dir={profile}", f"--window-size={WINDOW[0]},{WINDOW[1]}", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def measure(page: Path, tmp_path: Path) -> dict:
    """The page laid out by Chromium: what its script measured, read back from the DOM."""
    measured_page = tmp_path / f"measured-{page.name}"
    measured_page.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    dom = chromium("--dump-dom", measured_page.as_uri(), profile=tmp_path / "profile").stdout
    found = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    return json.loads(html.unescape(found.group(1)))


def screenshot(page: Path, name: str, tmp_path: Path) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    png = ARTIFACTS / name
    png.unlink(missing_ok=True)
    chromium(f"--screenshot={png}", page.as_uri(), profile=tmp_path / "profile")
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == WINDOW  # IHDR: the whole window was drawn
    return png


@pytest.fixture(scope="module")
def pages(seed_run, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("html")
    done = CliRunner().invoke(app, ["show", "--out", str(seed_run), "--html", str(folder / "run.html")])
    assert done.exit_code == 0, done.output
    return folder


def test_index_shows_ids_and_dates_left_to_right_on_one_line(pages, seed_facts, tmp_path):
    screenshot(pages / "run.html", "show-index.png", tmp_path)
    measured = measure(pages / "run.html", tmp_path)
    assert measured["heading"] == {"text": "5 documents", "shown": "5 documents", "lines": 1}
    ids = {item["text"]: item for item in measured["ids"]}
    assert sorted(ids) == sorted(seed_facts.doc_id.unique())
    for doc_id, item in ids.items():
        assert (item["shown"], item["lines"]) == (doc_id, 1)
    assert [d["text"] for d in measured["dates"]] == ["2025-12-13", "2025-12-10", "2024-07-30"]
    for date in measured["dates"]:
        assert (date["shown"], date["lines"]) == (date["text"], 1)


@pytest.mark.parametrize("doc_id", [p.stem for p in SEEDS], ids=lambda d: d[:3])
def test_document_page_keeps_labels_off_the_figures(doc_id, pages, tmp_path):
    page = pages / "run_docs" / f"{doc_id}.html"
    if doc_id == DOC:
        screenshot(page, "show-document.png", tmp_path)
    measured = measure(page, tmp_path)
    assert (measured["heading"]["shown"], measured["heading"]["lines"]) == (doc_id, 1)
    figures = {f["text"]: f for f in measured["figures"]}
    assert FIGURES[doc_id] <= figures.keys()  # the label is not between the number and its noun
    for figure in figures.values():
        assert 0 < figure["gap"] < 0.5 * figure["em"], figure  # a space, not a label
