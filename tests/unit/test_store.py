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
