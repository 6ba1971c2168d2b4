"""The result store: one entry a line, entries parsed when asked for, only new entries serialised."""

from execdocs import store as storemodule
from execdocs.store import ResultStore

AWKWARD = 'dòng 1\ndòng 2\ttab \u2028 \u0085 \x1c "ngoặc" \\ <b>đậm</b>'


def test_entries_round_trip_whatever_their_text(tmp_path):
    path = str(tmp_path / "s.json")
    first = ResultStore(path)
    first.keep("a", AWKWARD)
    first.keep("khóa có dấu\t", {"list": [1, 2.5, None, True], "text": AWKWARD})
    first.save()
    again = ResultStore(path)
    assert again.get("a") == AWKWARD
    assert again.get("khóa có dấu\t") == {"list": [1, 2.5, None, True], "text": AWKWARD}
    assert again.get("missing") is None


def test_saving_after_an_edit_serialises_only_the_new_entries(tmp_path, monkeypatch):
    path = str(tmp_path / "s.json")
    first = ResultStore(path)
    for i in range(5):
        first.keep(f"k{i}", {"page": i, "html": f"<p>{i}</p>"})
    first.save()
    with open(path, "rb") as fh:
        written = fh.read()

    serialised = []
    original = storemodule.entry_text
    monkeypatch.setattr(storemodule, "entry_text", lambda value: serialised.append(value) or original(value))
    store = ResultStore(path)
    store.start_build()
    for i in range(5):
        store.keep(f"k{i}", store.get(f"k{i}"))
    store.save()
    assert serialised == []
    with open(path, "rb") as fh:
        assert fh.read() == written  # a no-change build leaves the file as it was

    store.start_build()
    for i in range(4):  # k4 is no longer used, k1 changed, k9 is new
        store.keep(f"k{i}", store.get(f"k{i}") if i != 1 else {"page": 1, "html": "<p>mới</p>"})
    store.keep("k9", "new")
    store.save()
    assert serialised == [{"page": 1, "html": "<p>mới</p>"}, "new"]
    reread = ResultStore(path)
    assert set(reread.texts) == {"k0", "k1", "k2", "k3", "k9"}
    assert reread.get("k1") == {"page": 1, "html": "<p>mới</p>"} and reread.get("k0") == {"page": 0, "html": "<p>0</p>"}


def test_a_damaged_or_foreign_file_is_an_empty_store(tmp_path):
    path = tmp_path / "s.json"
    store = ResultStore(str(path))
    store.keep("a", 1)
    store.keep("b", 2)
    store.save()
    text = path.read_text(encoding="utf-8")
    for damaged in (
        '{"a": 1, "b": 2}',  # the single-object format of earlier builds
        text.replace('"b"\t', '"b"'),  # a line without its key
        text.replace('"a"', '"a'),  # a key that is not JSON
        "",
    ):
        path.write_text(damaged, encoding="utf-8")
        assert ResultStore(str(path)).texts == {}, damaged
    path.write_text(text.replace("\t2", "\t{broken"), encoding="utf-8")
    store = ResultStore(str(path))
    assert store.get("a") == 1 and store.get("b") is None  # a damaged entry is a missing one


def _pages(n, text="<p>trang</p>"):
    return {f"k{i}": {"page": i, "html": text * 10} for i in range(n)}


def test_a_large_file_gets_the_changed_entries_at_its_end_and_is_rewritten_once_mostly_unused(tmp_path, monkeypatch):
    monkeypatch.setattr(storemodule, "APPEND_FROM_CHARS", 0)  # every file is "large"
    path = tmp_path / "s.json"
    first = ResultStore(str(path))
    for key, value in _pages(10).items():
        first.keep(key, value)
    first.save()
    written = path.read_bytes()
    assert written.decode("utf-8") == storemodule.store_text(
        {k: storemodule.entry_text(v) for k, v in _pages(10).items()}
    )

    serialised = []
    original = storemodule.entry_text
    monkeypatch.setattr(storemodule, "entry_text", lambda value: serialised.append(value) or original(value))
    store = ResultStore(str(path))
    store.start_build()
    for key in _pages(10):
        store.keep(key, store.get(key) if key != "k1" else {"page": 1, "html": "mới"})
    store.keep("k10", "new")
    store.save()
    assert serialised == [{"page": 1, "html": "mới"}, "new"]
    after = path.read_bytes()
    assert after.startswith(written)  # the old bytes, copied, not serialised again
    assert after[len(written) :].decode("utf-8").count("\n") == 2
    reread = ResultStore(str(path))
    assert reread.get("k1") == {"page": 1, "html": "mới"} and reread.get("k10") == "new"
    assert reread.get("k0") == _pages(1)["k0"]

    reread.start_build()  # the same entries again: nothing written, though the file has an unused line
    for key in [*_pages(10), "k10"]:
        reread.keep(key, reread.get(key))
    reread.save()
    assert path.read_bytes() == after
    reread.start_build()  # one entry less: kept in the file while the unused lines are few
    for key in _pages(10):
        reread.keep(key, reread.get(key))
    reread.save()
    assert path.read_bytes() == after

    reread.start_build()  # three entries used: the unused lines outweigh them, and go
    for key in ("k0", "k1", "k2"):
        reread.keep(key, reread.get(key))
    reread.save()
    assert set(storemodule.read_store(str(path))) == {"k0", "k1", "k2"}
    assert path.read_text(encoding="utf-8").count("\n") == 4  # the format line and three entries


def test_a_large_file_replaced_meanwhile_is_written_whole_not_added_to(tmp_path, monkeypatch):
    monkeypatch.setattr(storemodule, "APPEND_FROM_CHARS", 0)
    path = tmp_path / "s.json"
    first = ResultStore(str(path))
    for key, value in _pages(4).items():
        first.keep(key, value)
    first.save()
    store = ResultStore(str(path))
    path.write_text("something else\n", encoding="utf-8")  # another build, or a person, replaced it
    store.start_build()
    for key in _pages(4):
        store.keep(key, store.get(key))
    store.keep("k9", "new")
    store.save()
    assert set(storemodule.read_store(str(path))) == {"k0", "k1", "k2", "k3", "k9"}
    assert "something else" not in path.read_text(encoding="utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]  # no temporary file left


def test_a_large_file_removed_meanwhile_is_written_again(tmp_path, monkeypatch):
    monkeypatch.setattr(storemodule, "APPEND_FROM_CHARS", 0)
    path = tmp_path / "build" / "s.json"
    first = ResultStore(str(path))
    for key, value in _pages(3).items():
        first.keep(key, value)
    first.save()
    store = ResultStore(str(path))
    path.unlink()  # _build/ cleaned by hand while `mkdocs serve` runs
    store.start_build()
    store.keep("k0", store.get("k0"))
    store.keep("k9", "new")
    store.save()
    assert set(storemodule.read_store(str(path))) == {"k0", "k9"}
