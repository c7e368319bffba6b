"""Rebuilds that render only what changed are never stale: after random edits of a base (front
matter, body, a retitled, renamed, deleted or new note, a review logged), the site `kb serve`
keeps up to date and the site `kb build` makes with its cache are, file for file, the site a
clean build of the edited base writes (pages, search index, sitemap, graph data), dates of the
build aside. The base has what feeds pages from afar: a kb-query block listing read papers, a
plan whose group is a query, queries reading the page's own note (`FROM [[]]`) and the files
themselves (`file.size`), backlink sentences naming other notes by title, embeds, an attachment
and a Markdown link, `#tags` in the text and embedded sections and blocks; the home page
orders what comes next by statuses, plans and links."""

from __future__ import annotations

import datetime as dt
import gzip
import re
import shutil
import tempfile
from pathlib import Path

from helpers import run_kb, write_base
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule

from tooling.notes.editor import edit_text
from tooling.site.build import build_site, site_config
from tooling.site.incremental import build_cached
from tooling.site.serve import Incremental
from tooling.site.sitecache import Store
from tooling.study.log import append

BASE = {
    "papers/a.md": """\
        ---
        title: Alpha paper
        authors: [Ann Lee, Bo Chen]
        year: 2021
        status: to-read
        priority: high
        tags: [x]
        concepts: [c1]
        ---
        Alpha studies [[c1]] closely. It cites [[Second concept]] once.
        """,
    "papers/b.md": """\
        ---
        title: Beta paper
        authors: [Bo Chen]
        year: 2022
        status: read
        tags: [x, y]
        ---
        Beta follows [[a]] and [a markdown link](a.md).
        """,
    "concepts/c1.md": """\
        ---
        title: First concept
        status: studying
        prerequisites: [c2]
        ---
        The [[b]] paper explains it. See also [[Second concept]] and ![[c2]].
        """,
    "concepts/c2.md": """\
        ---
        title: Second concept
        status: studied
        ---
        Basic idea, used by [[First concept]].
        """,
    "notes/q.md": """\
        ---
        title: Reading log
        tags: [y]
        ---
        Papers read so far, after [[a]]:

        ```kb-query
        LIST FROM papers WHERE status = "read"
        ```

        ```kb-query
        TABLE status, priority FROM papers SORT title
        ```

        Linking here, and what the papers' files say:

        ```kb-query
        LIST FROM [[]]
        ```

        ```kb-query
        TABLE file.size, file.inlinks FROM papers SORT file.name
        ```
        """,
    "notes/plan.md": """\
        ---
        title: Editing plan
        kind: plan
        items:
          main: [c1]
          reading: {query: 'FROM papers WHERE status = "read"', quota: 2}
        ---
        Start with [[c2]].
        """,
    "notes/emb.md": """\
        ---
        title: Embeds
        ---
        A figure: ![[fig.png]] and the first concept: ![[c1]]

        The alpha paper, as its abstract puts it: ![[a]]
        """,
    "notes/fig.png": b"\x89PNG\r\n\x1a\n",
    "notes/authors/bo-chen.md": """\
        ---
        title: Bo Chen
        ---
        Wrote [[b]].
        """,
}
WORDS = ("Gamma", "Delta", "Second concept", "Alpha paper", "Omega")
STATUSES = {"papers": ("to-read", "reading", "read", "skimmed"),
            "concepts": ("to-study", "studying", "studied")}


def site_files(folder: Path, places: bool = True) -> dict[str, bytes]:
    """Every file of a built site; the build's date (sitemap) and gzip's time stamp left out,
    and without `places` the graph's layout (`kb serve` keeps nodes where they were drawn)."""
    found = {}
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz":
                data = gzip.decompress(data)
            if path.name.startswith("sitemap.xml"):
                data = re.sub(rb"<lastmod>[^<]*</lastmod>", b"", data)
            if path.name == "kb-index.json" and not places:
                data = re.sub(rb',"x":[-0-9.]+,"y":[-0-9.]+', b"", data)
            found[str(path.relative_to(folder))] = data
    return found


def differences(got: Path, expected: Path, places: bool = True) -> list[str]:
    mine, clean = site_files(got, places), site_files(expected, places)
    return sorted(name for name in set(mine) | set(clean) if mine.get(name) != clean.get(name))


class EditedBase(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.work = Path(tempfile.mkdtemp(prefix="kb-incremental-"))
        self.root = write_base(self.work / "kb", BASE)
        self.served = Incremental(self.root, self.work / "served", "127.0.0.1:8765")
        self.served()
        self.build("built")
        self.counter = 0

    def teardown(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)

    def build(self, name: str) -> None:
        build_site(self.root, self.work / name)  # kb build: its cache, into the same folder

    def notes(self) -> list[Path]:
        return sorted(p for p in self.root.rglob("*.md"))

    def check(self) -> None:
        self.served()
        fresh = Incremental(self.root, self.work / "served-clean", self.served.address)
        fresh()
        assert differences(self.work / "served", self.work / "served-clean", places=False) == []
        shutil.rmtree(self.work / "served-clean")
        self.build("built")
        config = site_config(self.root, self.work / "clean")
        build_cached(config, None, Store())
        assert differences(self.work / "built", self.work / "clean") == []

    def edit(self, path: Path, updates: dict[str, object]) -> None:
        path.write_text(edit_text(path.read_text(encoding="utf-8"), updates), encoding="utf-8")

    @rule(data=st.data())
    def set_status(self, data: st.DataObject) -> None:
        notes = [p for p in self.notes() if p.parent.name in STATUSES]
        if notes:
            path = data.draw(st.sampled_from(notes))
            self.edit(path, {"status": data.draw(st.sampled_from(STATUSES[path.parent.name]))})
        self.check()

    @rule(data=st.data(), field=st.sampled_from(("priority", "tags", "abstract", "year")),
          value=st.sampled_from(("high", "low", ["x"], ["z", "y"], "A new finding. More.", 2019)))
    def set_field(self, data: st.DataObject, field: str, value: object) -> None:
        path = data.draw(st.sampled_from(self.notes()))
        self.edit(path, {field: value})
        self.check()

    @rule(data=st.data())
    def retitle(self, data: st.DataObject) -> None:
        path = data.draw(st.sampled_from(self.notes()))
        self.edit(path, {"title": data.draw(st.sampled_from(WORDS))})
        self.check()

    @rule(data=st.data(), by_title=st.booleans())
    def add_linking_sentence(self, data: st.DataObject, by_title: bool) -> None:
        notes = self.notes()
        path, target = data.draw(st.sampled_from(notes)), data.draw(st.sampled_from(notes))
        name = data.draw(st.sampled_from(WORDS)) if by_title else target.stem
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"\nA new sentence on [[{name}]] and {target.stem}.\n")
        self.check()

    @rule(data=st.data(), tag=st.sampled_from(("x", "z", "Fresh")))
    def tag_in_the_text(self, data: st.DataObject, tag: str) -> None:
        """A `#tag` in the text is a tag of the note: tag pages and the papers' filter list it."""
        with data.draw(st.sampled_from(self.notes())).open("a", encoding="utf-8") as handle:
            handle.write(f"\nFiled under #{tag} too.\n")
        self.check()

    @rule(data=st.data(), block=st.booleans())
    def embed_a_part(self, data: st.DataObject, block: bool) -> None:
        """A note shows a section or a block of another, which then changes: the page showing
        it changes with it (its inputs are the embedded note's)."""
        notes = self.notes()
        path, target = data.draw(st.sampled_from(notes)), data.draw(st.sampled_from(notes))
        self.counter += 1
        part = f"^b{self.counter}" if block else f"Part {self.counter}"
        written = (f"\nA claim worth showing. ^b{self.counter}\n" if block
                   else f"\n## Part {self.counter}\n\nWhat this part says.\n")
        with target.open("a", encoding="utf-8") as handle:
            handle.write(written)
        if path != target:
            with path.open("a", encoding="utf-8") as handle:
                handle.write(f"\n![[{target.stem}#{part}]]\n")
        self.check()
        target.write_text(target.read_text(encoding="utf-8").replace(
            "worth showing" if block else "What this part says", "now reworded"), encoding="utf-8")
        self.check()

    @rule(data=st.data(), word=st.sampled_from(("closely", "Beta", "also", "Papers", "idea")))
    def reword_a_linking_sentence(self, data: st.DataObject, word: str) -> None:
        path = data.draw(st.sampled_from(self.notes()))
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(word, word + " indeed", 1), encoding="utf-8")
        self.check()

    @rule(data=st.data(), folder=st.sampled_from(("papers", "concepts", "notes")))
    def rename(self, data: st.DataObject, folder: str) -> None:
        path = data.draw(st.sampled_from(self.notes()))
        self.counter += 1
        path.rename(self.root / folder / f"moved{self.counter}.md")
        self.check()

    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        notes = self.notes()
        if len(notes) > 3:
            data.draw(st.sampled_from(notes)).unlink()
        self.check()

    @rule(data=st.data(), folder=st.sampled_from(("papers", "concepts", "notes")),
          tag=st.sampled_from(("x", "y", "z")))
    def create(self, data: st.DataObject, folder: str, tag: str) -> None:
        self.counter += 1
        target = data.draw(st.sampled_from(self.notes())).stem
        status = f"status: {STATUSES[folder][-1]}\n" if folder in STATUSES else ""
        (self.root / folder / f"new{self.counter}.md").write_text(
            f"---\ntitle: {data.draw(st.sampled_from(WORDS))}\ntags: [{tag}]\n{status}---\n"
            f"It builds on [[{target}]].\n", encoding="utf-8")
        self.check()

    @rule(data=st.data(), grade=st.sampled_from(("again", "good", "easy")))
    def review(self, data: st.DataObject, grade: str) -> None:
        concepts = [p for p in self.notes() if p.parent.name == "concepts"]
        if concepts:
            self.counter += 1
            when = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(days=self.counter)
            append(self.root, when, grade, data.draw(st.sampled_from(concepts)).stem)
        self.check()


EditedBase.TestCase.settings = settings(max_examples=4, stateful_step_count=4, deadline=None,
                                        suppress_health_check=list(HealthCheck))
test_served_and_cached_sites_equal_a_clean_build = EditedBase.TestCase


# --- kb build and its cache, command by command ------------------------------------------------

def rendered(result) -> tuple[int, int]:
    found = re.search(r"\((\d+) of (\d+) pages rendered", result.output)
    assert found, result.output
    return int(found.group(1)), int(found.group(2))


def test_every_page_showing_an_embedded_note_reads_what_its_text_reads(tmp_path):
    """Two pages at the same depth embed one note, whose text links to another: the text is
    converted once and shown twice, and both pages read what it read (the linked note's title),
    so retitling that note renders both again, not only the first page that drew it."""
    root = write_base(tmp_path / "kb", {
        "concepts/shown.md": "---\ntitle: Shown\n---\nIt builds on [[other]].\n",
        "concepts/other.md": "---\ntitle: First Name\n---\nBasics.\n",
        "notes/x.md": "---\ntitle: X\n---\nHere: ![[shown]]\n",
        "notes/y.md": "---\ntitle: Y\n---\nThere: ![[shown]]\n",
    })
    site = tmp_path / "site"
    assert run_kb("build", "--root", str(root), "-d", str(site)).exit_code == 0
    note = root / "concepts/other.md"
    note.write_text(note.read_text(encoding="utf-8").replace("First Name", "Second Name"),
                    encoding="utf-8")
    assert run_kb("build", "--root", str(root), "-d", str(site)).exit_code == 0
    for page in ("notes/x", "notes/y"):
        assert "Second Name" in (site / page / "index.html").read_text(encoding="utf-8"), page


def test_kb_serve_sees_a_note_put_back_with_its_old_modification_time(tmp_path, caplog):
    """A note replaced by a file of the same size and modification time (`cp -p`, `rsync -t`,
    `touch -r`): its change time and inode tell it apart, so `kb serve` names it as the edit and
    renders its page again in place (not a whole steered build "for no change")."""
    import logging
    import os

    root = write_base(tmp_path / "kb", BASE)
    served = Incremental(root, tmp_path / "served", "127.0.0.1:8765")
    served()
    note = root / "concepts/c2.md"
    old = note.stat()
    text = note.read_text(encoding="utf-8").replace("Basic idea", "Other idea")
    replacement = tmp_path / "c2.md"
    replacement.write_text(text, encoding="utf-8")
    os.utime(replacement, ns=(old.st_atime_ns, old.st_mtime_ns))
    os.replace(replacement, note)
    assert note.stat().st_mtime_ns == old.st_mtime_ns and note.stat().st_size == old.st_size
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.kb.serve"):
        served()
    assert "Other idea" in (tmp_path / "served/concepts/c2/index.html").read_text(encoding="utf-8")
    assert "for concepts/c2.md" in caplog.text, caplog.text


def test_kb_build_renders_only_the_pages_an_edit_changed(tmp_path):
    root = write_base(tmp_path / "kb", BASE)
    site = tmp_path / "site"
    first = run_kb("build", "--root", str(root), "-d", str(site))
    assert first.exit_code == 0, first.output
    done, pages = rendered(first)
    assert done == pages
    assert rendered(run_kb("build", "--root", str(root), "-d", str(site))) == (0, pages)
    note = root / "concepts/c2.md"
    note.write_text(note.read_text() + "\nAn afterthought with no link.\n")
    # Its own page, and the pages showing its text: c1 embeds it, and notes/emb embeds c1.
    assert rendered(run_kb("build", "--root", str(root), "-d", str(site)))[0] == 3
    for page in ("concepts/c2", "concepts/c1", "notes/emb"):
        assert "afterthought" in (site / page / "index.html").read_text()
    note = root / "notes/plan.md"  # a note no page embeds: its own page alone
    note.write_text(note.read_text() + "\nAn afterthought with no link.\n")
    assert rendered(run_kb("build", "--root", str(root), "-d", str(site)))[0] == 1
    paper = root / "papers/b.md"  # a paper's file size is read by a query of notes/q.md
    paper.write_text(paper.read_text() + "\nAn afterthought with no link.\n")
    assert rendered(run_kb("build", "--root", str(root), "-d", str(site)))[0] == 2
    again = run_kb("build", "--clean", "--root", str(root), "-d", str(site))
    assert rendered(again) == (pages, pages)


def test_a_cache_damaged_or_lost_costs_only_a_rebuild(tmp_path):
    root = write_base(tmp_path / "kb", BASE)
    run_kb("build", "--root", str(root), "-d", str(tmp_path / "site"))
    cache = root / ".kb-cache/site"
    for page in sorted((cache / "pages").iterdir())[:2]:
        page.unlink()  # two pages' outputs lost: those two are rendered again (in another folder)
    assert rendered(run_kb("build", "--root", str(root), "-d", str(tmp_path / "other")))[0] == 2
    (cache / "manifest.json").write_text("{not json")
    done, pages = rendered(run_kb("build", "--root", str(root), "-d", str(tmp_path / "again")))
    assert done == pages
    assert differences(tmp_path / "site", tmp_path / "again") == []
    assert differences(tmp_path / "other", tmp_path / "again") == []


def test_the_site_folder_of_the_last_build_ends_as_a_clean_build_leaves_it(tmp_path):
    """Building into the folder the last build wrote, pages it left untouched stay; a page
    changed by hand is written again, and what no build writes (a deleted note's page, a stray
    file) is removed, as emptying the folder first would."""
    root = write_base(tmp_path / "kb", {**BASE, "notes/lone.md": "---\ntitle: Lone\n---\nAlone.\n"})
    site = tmp_path / "site"
    run_kb("build", "--root", str(root), "-d", str(site))
    (site / "concepts/c2/index.html").write_text("changed by hand")  # a page the edit leaves alone
    (site / "stray.txt").write_text("left over")
    (root / "notes/lone.md").unlink()
    run_kb("build", "--root", str(root), "-d", str(site))
    run_kb("build", "--clean", "--root", str(root), "-d", str(tmp_path / "clean"))
    assert not (site / "notes/lone").exists() and not (site / "stray.txt").exists()
    assert differences(site, tmp_path / "clean") == []


def test_the_cache_is_never_written_through_a_link_out_of_the_root(tmp_path):
    root = write_base(tmp_path / "kb", BASE)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (root / ".kb-cache").symlink_to(outside, target_is_directory=True)
    for _ in range(2):
        result = run_kb("build", "--root", str(root), "-d", str(tmp_path / "site"))
        assert result.exit_code == 0, result.output
        assert rendered(result)[0] == rendered(result)[1]  # no cache: every page, every time
    assert not any(outside.rglob("*.html")) and not (outside / "site").exists()


def test_warnings_of_pages_taken_from_the_cache_still_fail_a_strict_build(tmp_path):
    root = write_base(tmp_path / "kb", {**BASE, "notes/broken.md": """\
        ---
        title: Broken
        ---
        A [[a]] link, a [missing file](nowhere.md) and a query that does not parse:

        ```kb-query
        LIST FROM papers WHERE
        ```
        """})
    site = str(tmp_path / "site")
    first = run_kb("build", "--root", str(root), "-d", site)
    assert "notes/broken.md" in first.output and "nowhere.md" in first.output
    note = root / "papers/b.md"
    note.write_text(note.read_text() + "\nUnrelated.\n")
    strict = run_kb("build", "--strict", "--root", str(root), "-d", site)
    assert strict.exit_code != 0
    assert "kb-query" in strict.output and "nowhere.md" in strict.output


# --- one day per build -------------------------------------------------------------------------

class _AnyDate(type):
    def __instancecheck__(cls, value: object) -> bool:  # dates parsed from notes are real ones
        return isinstance(value, dt.date)


def _clock(days: list[dt.date]):
    """A `datetime` module whose `date.today()` gives `days` in turn, then the last one forever."""
    import types

    calls = iter(days)

    class Date(dt.date, metaclass=_AnyDate):
        @classmethod
        def today(cls) -> dt.date:
            return next(calls, days[-1])

    return types.SimpleNamespace(**{**vars(dt), "date": Date})


def test_a_build_running_past_midnight_draws_every_page_for_the_day_it_began(tmp_path, monkeypatch):
    """A concept's review is due the day after the build begins: if midnight passes as the build
    starts, every page still shows the first day ("in 1 day", the same "what next" and due list),
    as a build done wholly on that day does."""
    import sys

    from tooling.base import open_base
    from tooling.study.review import schedule

    root = write_base(tmp_path / "kb", BASE)
    append(root, dt.datetime(2024, 1, 1, 9, tzinfo=dt.timezone.utc), "good", "c1")
    due = schedule(open_base(root), dt.date(2024, 1, 2))["c1"].due
    build_site(root, tmp_path / "first", clean=True)  # every module a build imports, imported
    modules = [m for name, m in list(sys.modules.items())
               if name.startswith("tooling.") and getattr(m, "dt", None) is dt]
    assert len(modules) > 5

    def build(days: list[dt.date], out: str) -> None:
        clock = _clock(days)
        for module in modules:
            monkeypatch.setattr(module, "dt", clock)
        build_site(root, tmp_path / out, clean=True)

    build([due - dt.timedelta(days=1)], "one-day")
    build([due - dt.timedelta(days=1), due], "past-midnight")
    page = (tmp_path / "one-day" / "concepts" / "c1" / "index.html").read_text(encoding="utf-8")
    assert "(in 1 day)" in page
    assert differences(tmp_path / "past-midnight", tmp_path / "one-day") == []


def test_the_dependency_map_round_trips_through_its_json():
    """Each page's keys are stored as places in one list of keys; a key read without a digest
    (none is recorded for it) is left out rather than failing the save."""
    from tooling.site.depmap import DepMap

    depmap = DepMap({"a.md": frozenset({"note:a", "title:b"}), "b.md": frozenset({"title:b", "gone"})},
                    {"note:a": "1", "title:b": "2"})
    data = depmap.as_json()
    assert data["keys"] == ["note:a", "title:b"] and data["pages"] == {"a.md": [0, 1], "b.md": [1]}
    back = DepMap.from_json(data)
    assert back.digests == depmap.digests
    assert back.pages == {"a.md": frozenset({"note:a", "title:b"}), "b.md": frozenset({"title:b"})}
