import json

import pytest

from geoscout.errors import GeoscoutError
from geoscout.snapshot import Snapshot, build_snapshot, normalize_url


def make_folder(tmp_path, pages):
    folder = tmp_path / "saved"
    folder.mkdir()
    manifest = []
    for name, url, text in pages:
        (folder / name).write_text(text, encoding="utf-8")
        manifest.append({"file": name, "url": url})
    (folder / "manifest.json").write_text(json.dumps({"pages": manifest}))
    return folder


def test_build_search_and_read(tmp_path):
    folder = make_folder(
        tmp_path,
        [
            (
                "a.html",
                "https://a.example/x",
                "<html><title>Volcano heights</title><body><p>Tall volcanoes "
                "of the Andes.</p><table><tr><th>Name</th><th>Height</th></tr><tr><td>Ojos</td><td>6,893</td>"
                "</tr></table></body></html>",
            ),
            ("b.md", "https://b.example/y", "# Rivers\n\nLong rivers of Africa and their discharge."),
        ],
    )
    out = tmp_path / "snap.db"
    assert build_snapshot(folder, out) == 2
    snap = Snapshot.open(out)
    hits = snap.search("andes volcanoes")
    assert [h.url for h in hits][0] == "https://a.example/x"
    assert hits[0].title == "Volcano heights"
    assert snap.search("african rivers")[0].title == "Rivers"
    page = snap.page("http://a.example/x/#top")  # scheme, slash and fragment do not matter
    assert page is not None and "| Ojos | 6,893 |" in page.markdown
    assert snap.page("https://nowhere.example/") is None


def test_folder_opens_without_build(tmp_path):
    folder = make_folder(tmp_path, [("b.md", "https://b.example/y", "# Rivers\n\nNile.")])
    assert len(Snapshot.open(folder)) == 1


def _db_without_pages(path):
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("CREATE VIRTUAL TABLE pages_fts USING fts5(title, markdown)")
    conn.commit()
    conn.close()
    return path


def _manifest(folder, manifest, page=None):
    folder = folder / "s"
    folder.mkdir()
    data = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
    (folder / "manifest.json").write_bytes(data)
    if page is not None:
        (folder / "p.md").write_bytes(page)
    return folder


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda p: p / "missing.db", "does not exist"),
        (lambda p: (p / "junk.db").write_text("not sqlite") and p / "junk.db", "not a readable"),
        (lambda p: (p / "d").mkdir() or p / "d", "no manifest.json"),
        (lambda p: _db_without_pages(p / "fts.db"), "not a readable"),
        (lambda p: _manifest(p, {"pages": [{"file": 3, "url": "https://x"}]}), "expected"),
        (lambda p: _manifest(p, b"\xff\xfe{"), "cannot read snapshot manifest"),
        (lambda p: _manifest(p, {"pages": [{"file": "p.md", "url": "https://x"}]}, b"\xff\xfe"), "not UTF-8"),
        (lambda p: _manifest(p, {"pages": [], "searches": [{"query": 1}]}), "searches"),
    ],
)
def test_unreadable_snapshots_raise_one_clear_error(tmp_path, setup, message):
    with pytest.raises(GeoscoutError, match=message):
        Snapshot.open(setup(tmp_path))


def test_manifest_pointing_at_missing_file(tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps({"pages": [{"file": "gone.html", "url": "https://x"}]}))
    with pytest.raises(GeoscoutError, match="unreadable"):
        Snapshot.open(folder)


def test_normalize_url():
    assert normalize_url("https://www.Example.org/a/#b") == normalize_url("http://example.org/a")


def test_demo_snapshot_ranks_the_relevant_page_first(demo_snapshot):
    assert "temperature" in demo_snapshot.search("monthly temperature of cities")[0].title.lower()
    assert "city limits" in demo_snapshot.search("population within city limits")[0].title.lower()


def test_search_matches_abbreviated_words(tmp_path):
    folder = make_folder(
        tmp_path,
        [
            ("a.md", "https://a.example/c", "# Climate of Lima\n\nAverage temperature by month."),
            ("b.md", "https://b.example/p", "# Lima\n\nPopulation of Lima, the capital, by census year."),
            ("c.md", "https://c.example/e", "# Peaks\n\nElevation of the main summits."),
        ],
    )
    snap = Snapshot.open(folder)
    assert snap.search("avg temp Lima")[0].url == "https://a.example/c"
    assert snap.search("pop Lima")[0].url == "https://b.example/p"
    assert snap.search("summit elev")[0].url == "https://c.example/e"
