"""The progress file keeps a student's quiz answers whatever happens to it: damage, full disks, several kernels."""
import contextlib
import errno
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import natocourse.quiz.progress as progress_module
from natocourse.quiz.progress import Progress, check_answers, file_lock, write_atomically

GOOD = {"answer": 1, "status": "correct", "saved": "2025-01-01T10:00:00"}


def write_json(path: Path, content) -> Path:
    path.write_text(json.dumps(content), encoding="utf-8")
    return path


def set_aside_copies(folder: Path) -> list[Path]:
    return sorted(folder.glob("progress.json.damaged-*"))


def leftovers(folder: Path) -> list[str]:
    """Files other than the progress file, its lock and set-aside copies: temporary files that were left behind."""
    return [p.name for p in folder.iterdir()
            if p.name not in ("progress.json", "progress.json.lock") and ".damaged-" not in p.name]


def in_another_process(code: str) -> list[str]:
    """A Python command that runs code with progress.py loaded on its own (a second kernel, without pandas)."""
    loader = ("import importlib.util, sys, time\n"
              "from pathlib import Path\n"
              f"spec = importlib.util.spec_from_file_location('progress', {str(progress_module.__file__)!r})\n"
              "progress = importlib.util.module_from_spec(spec)\n"
              "spec.loader.exec_module(progress)\n")
    return [sys.executable, "-c", loader + textwrap.dedent(code)]


def can_write(folder: Path) -> bool:
    try:
        (folder / ".probe").touch()
    except OSError:
        return False
    (folder / ".probe").unlink()
    return True


@contextlib.contextmanager
def read_only(folder: Path):
    """Make a folder read-only for this process: chmod; for root (who ignores modes) the immutable flag;
    where neither holds (root on a file system without chattr), the file system's own "read-only" error."""
    folder.chmod(0o555)
    immutable = False
    try:
        if can_write(folder) and shutil.which("chattr"):
            immutable = subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0
        if not can_write(folder):
            yield folder
        else:
            with pytest.MonkeyPatch.context() as patch:
                refuse_writes_below(folder, patch)
                yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


def refuse_writes_below(folder: Path, patch: pytest.MonkeyPatch) -> None:
    real_open, real_mkdir = os.open, os.mkdir

    def inside(target) -> bool:
        return Path(os.fsdecode(target)).resolve().is_relative_to(folder.resolve())

    def open_(target, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and inside(target):
            raise OSError(errno.EROFS, "Read-only file system", os.fsdecode(target))
        return real_open(target, flags, *args, **kwargs)

    def mkdir(target, *args, **kwargs):
        if inside(target):
            raise OSError(errno.EROFS, "Read-only file system", os.fsdecode(target))
        return real_mkdir(target, *args, **kwargs)

    patch.setattr(os, "open", open_)
    patch.setattr(os, "mkdir", mkdir)


# ---------------------------------------------------------------- ordinary use

def test_answers_survive_a_restart(tmp_path):
    path = tmp_path / "progress.json"
    assert Progress(path).save("start_here", "members-today", "31", "incorrect")
    assert Progress(path).save("other", "q", 2, "correct", options="abc")
    again = Progress(path)
    assert again.get("start_here", "members-today")["answer"] == "31"
    assert again.get("other", "q")["status"] == "correct"
    assert again.get("other", "q")["options"] == "abc"
    assert again.notice == "" and again.problem == ""


def test_a_missing_folder_is_created_on_the_first_save(tmp_path):
    path = tmp_path / "home" / ".natocourse" / "progress.json"
    assert Progress(path).answers == {}
    assert Progress(path).save("quiz", "q", 0, "correct")
    assert json.loads(path.read_text(encoding="utf-8"))["quiz"]["q"]["answer"] == 0


def test_write_atomically_creates_folders(tmp_path):
    target = tmp_path / "a" / "b" / "progress.json"
    write_atomically(target, "{}")
    assert target.read_text(encoding="utf-8") == "{}"


# ---------------------------------------------------------------- damaged files

@pytest.mark.parametrize("content, why", [
    (b'{"start_here": {"q": ', "it is not in the expected format"),
    (b"\x00\x9f\xff\xfe binary junk \x80", "it is not text"),
    (b"not json", "it is not in the expected format"),
    (b"[1, 2, 3]", "it does not list answers by quiz"),
    (b"", "it is not in the expected format"),
])
def test_unreadable_file_is_set_aside_not_deleted(tmp_path, content, why):
    path = tmp_path / "progress.json"
    path.write_bytes(content)
    progress = Progress(path)
    assert progress.answers == {}
    kept = set_aside_copies(tmp_path)
    assert len(kept) == 1 and kept[0].read_bytes() == content
    assert "could not be read" in progress.notice and why in progress.notice and kept[0].name in progress.notice
    assert progress.save("start_here", "q", 1, "correct")
    assert json.loads(path.read_text(encoding="utf-8"))["start_here"]["q"]["answer"] == 1
    assert len(set_aside_copies(tmp_path)) == 1  # set aside once, not at every save


@pytest.mark.parametrize("bad_entry", [
    "yes",                                          # an entry that is a string
    {"answer": 1},                                  # no status
    {"status": "correct"},                          # no answer
    {"answer": 1, "status": "brilliant"},           # a status the quiz never writes
    {"answer": {"nested": 1}, "status": "correct"}, # an answer no question type has
    {"answer": [0, "x"], "status": "partly"},       # a list that is not option numbers
    {"answer": True, "status": "correct"},
    None,
])
def test_unusable_entries_are_set_aside_and_the_rest_kept(tmp_path, bad_entry):
    path = write_json(tmp_path / "progress.json",
                      {"start_here": {"good": GOOD, "bad": bad_entry}, "other": {"kept": GOOD}})
    original = path.read_bytes()
    progress = Progress(path)
    assert progress.answers == {"start_here": {"good": GOOD}, "other": {"kept": GOOD}}
    assert 'question "bad" of quiz "start_here"' in progress.notice
    assert "your other answers are kept" in progress.notice
    kept = set_aside_copies(tmp_path)
    assert len(kept) == 1 and kept[0].read_bytes() == original
    assert json.loads(path.read_text(encoding="utf-8")) == progress.answers  # the file itself is clean again
    assert Progress(path).notice == ""


def test_a_quiz_that_is_not_a_mapping_is_set_aside(tmp_path):
    path = write_json(tmp_path / "progress.json", {"start_here": "all done", "other": {"kept": GOOD}})
    progress = Progress(path)
    assert progress.answers == {"other": {"kept": GOOD}}
    assert 'the answers to quiz "start_here" are not a list of questions' in progress.notice


def test_many_bad_entries_are_summarised_in_one_sentence(tmp_path):
    path = write_json(tmp_path / "progress.json", {"quiz": {f"q{i}": "junk" for i in range(5)}})
    notice = Progress(path).notice
    assert notice.count('is not a saved answer') == 2 and "and 3 more" in notice


def test_two_copies_set_aside_in_the_same_instant_never_overwrite_each_other(tmp_path, monkeypatch):
    frozen = progress_module.dt.datetime(2025, 3, 1, 9, 30, 0, 123456)
    monkeypatch.setattr(progress_module, "_now", lambda: frozen)
    path = tmp_path / "progress.json"
    contents = [b"first junk", b"second junk", b"third junk"]
    for content in contents:
        path.write_bytes(content)
        Progress(path)
    kept = set_aside_copies(tmp_path)
    assert sorted(p.read_bytes() for p in kept) == sorted(contents)
    assert kept[0].name == "progress.json.damaged-20250301-093000-123456"


def test_set_aside_names_carry_microseconds(tmp_path):
    for content in (b"junk 1", b"junk 2"):
        (tmp_path / "progress.json").write_bytes(content)
        Progress(tmp_path / "progress.json")
    names = [p.name for p in set_aside_copies(tmp_path)]
    assert len(names) == 2 and all(len(n.split("damaged-")[1].split("-")[2]) == 6 for n in names)


def test_damaged_file_in_a_read_only_folder_still_shows_the_usable_answers(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = write_json(folder / "progress.json", {"quiz": {"good": GOOD, "bad": "junk"}})
    with read_only(folder):
        progress = Progress(path)
        assert progress.answers == {"quiz": {"good": GOOD}}
        assert "could not be copied aside" in progress.notice and "left as it is" in progress.notice
        assert json.loads(path.read_text(encoding="utf-8"))["quiz"]["bad"] == "junk"  # untouched
        assert not progress.save("quiz", "new", 1, "correct")  # and a save never overwrites it
        assert json.loads(path.read_text(encoding="utf-8"))["quiz"]["bad"] == "junk"


def test_a_full_disk_while_setting_aside_leaves_no_half_copy(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    path.write_bytes(b"junk")

    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    progress = Progress(path)
    assert "could not be copied aside (the disk is full" in progress.notice
    assert set_aside_copies(tmp_path) == [] and path.read_bytes() == b"junk"
    assert not progress.save("quiz", "q", 1, "correct") and path.read_bytes() == b"junk"


def test_deeply_nested_junk_is_set_aside(tmp_path):
    path = tmp_path / "progress.json"
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    assert "could not be read" in Progress(path).notice
    assert len(set_aside_copies(tmp_path)) == 1


def test_a_file_that_cannot_be_opened_is_left_alone(tmp_path, monkeypatch):
    path = write_json(tmp_path / "progress.json", {"quiz": {"old": GOOD}})
    before = path.read_bytes()
    real_read_bytes = Path.read_bytes

    def denied(self):
        if self == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    progress = Progress(path)
    assert progress.notice == (f"Your saved answers could not be opened: the file {path} cannot be opened (its "
                               "permissions do not allow it). New answers are kept while this notebook stays open.")
    assert not progress.save("quiz", "new", 1, "correct")
    assert "cannot be opened" in progress.problem and progress.get("quiz", "new")["answer"] == 1
    assert real_read_bytes(path) == before  # never overwritten while it could not be read


def test_a_folder_in_place_of_the_file_gives_sentences(tmp_path):
    path = tmp_path / "progress.json"
    path.mkdir()
    progress = Progress(path)
    assert progress.notice.startswith("Your saved answers could not be opened: the computer reported")
    assert not progress.save("quiz", "q", 1, "correct")
    assert progress.problem.startswith("Your answer was checked but could not be saved") and path.is_dir()


# ---------------------------------------------------------------- failed saves

def test_crash_mid_write_leaves_the_old_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    Progress(path).save("quiz", "q1", 1, "correct")
    before = path.read_text(encoding="utf-8")

    def crash(*args):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "replace", crash)
    progress = Progress(path)
    assert not progress.save("quiz", "q2", 2, "correct")
    assert path.read_text(encoding="utf-8") == before
    assert leftovers(tmp_path) == []  # no temporary file left behind
    assert 'reported "Input/output error"' in progress.problem


def test_full_disk_keeps_the_answer_in_memory_and_saves_it_later(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    progress = Progress(path)
    real_fsync = os.fsync

    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    assert not progress.save("quiz", "q1", "42", "correct")
    assert progress.problem == ("Your answer was checked but could not be saved: the disk is full (or your storage "
                                "quota is used up). It is kept while this notebook stays open and will be saved "
                                "with your next answer.")
    assert progress.get("quiz", "q1")["answer"] == "42"
    assert leftovers(tmp_path) == []

    monkeypatch.setattr(os, "fsync", real_fsync)  # space freed
    assert progress.save("quiz", "q2", 0, "incorrect")
    assert progress.problem == ""
    on_disk = Progress(path)
    assert on_disk.get("quiz", "q1")["answer"] == "42" and on_disk.get("quiz", "q2")["answer"] == 0


def test_read_only_folder_says_so_and_keeps_the_answer(tmp_path):
    folder = tmp_path / "home"
    folder.mkdir()
    path = write_json(folder / "progress.json", {"quiz": {"old": GOOD}})
    with read_only(folder):
        progress = Progress(path)
        assert progress.get("quiz", "old") == GOOD
        assert not progress.save("quiz", "new", 3, "incorrect")
        assert progress.problem == (f"Your answer was checked but could not be saved: the folder {folder} cannot be "
                                    "written to. It is kept while this notebook stays open and will be saved with "
                                    "your next answer.")
        assert progress.get("quiz", "new")["answer"] == 3 and progress.get("quiz", "old") == GOOD
    assert progress.save("quiz", "later", 1, "correct")  # once writable again, the kept answer is written too
    assert set(Progress(path).answers["quiz"]) == {"old", "new", "later"}


def test_read_only_home_without_the_folder_says_so(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    with read_only(home):
        progress = Progress(home / ".natocourse" / "progress.json")
        assert progress.answers == {}
        assert not progress.save("quiz", "q", 1, "correct")
        assert f"the folder {home / '.natocourse'} cannot be written to" in progress.problem
        assert progress.get("quiz", "q")["answer"] == 1


def test_a_lock_held_too_long_fails_the_save_with_a_sentence(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    monkeypatch.setattr(progress_module, "LOCK_WAIT", 0.05)
    progress = Progress(path)
    holder = subprocess.Popen(in_another_process(f"""
        with progress.file_lock(Path({str(path)!r})):
            print("locked", flush=True)
            time.sleep(3)
        """), stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert not progress.save("quiz", "q", 1, "correct")
        assert "another notebook kept the answers file busy" in progress.problem
    finally:
        holder.kill()
        holder.wait()
    assert progress.save("quiz", "q2", 1, "correct")
    assert set(Progress(path).answers["quiz"]) == {"q", "q2"}


# ---------------------------------------------------------------- several kernels

def test_saves_merge_with_what_another_kernel_wrote_meanwhile(tmp_path):
    path = tmp_path / "progress.json"
    first, second = Progress(path), Progress(path)  # two notebooks open at once
    first.save("start_here", "a", 0, "correct")
    second.save("enlargement", "b", 1, "incorrect")
    first.save("start_here", "c", 2, "incorrect")
    assert set(Progress(path).answers) == {"start_here", "enlargement"}
    assert set(Progress(path).answers["start_here"]) == {"a", "c"}


SAVER = """
name, count = sys.argv[1], int(sys.argv[2])
saved = progress.Progress({path!r})
while time.time() < {start}:  # both kernels start saving at the same moment
    time.sleep(0.001)
began = time.perf_counter()
failed = sum(not saved.save(name, f"q{{i}}", i, "correct") for i in range(count))
print(failed, time.perf_counter() - began)
"""


def test_two_kernels_saving_at_once_lose_nothing(tmp_path):
    path = tmp_path / "progress.json"
    started = time.perf_counter()
    command = in_another_process(SAVER.format(path=str(path), start=time.time() + 1.0))
    kernels = [subprocess.Popen([*command, name, "200"], stdout=subprocess.PIPE, text=True)
               for name in ("kernel-a", "kernel-b")]
    outputs = [k.communicate(timeout=60)[0].split() for k in kernels]
    elapsed = time.perf_counter() - started
    saved = Progress(path).answers
    print(f"2 kernels x 200 saves: {elapsed:.2f} s in all, saving took "
          + " and ".join(f"{float(seconds):.2f} s" for _failed, seconds in outputs))
    assert [int(failed) for failed, _seconds in outputs] == [0, 0]
    assert {name: len(saved.get(name, {})) for name in ("kernel-a", "kernel-b")} == {"kernel-a": 200, "kernel-b": 200}
    assert elapsed < 20


def test_lock_file_is_exclusive_between_processes(tmp_path):
    path = tmp_path / "progress.json"
    with file_lock(path):
        other = subprocess.run(in_another_process(f"""
            try:
                with progress.file_lock(Path({str(path)!r}), wait=0.1):
                    print("got it")
            except progress.LockTimeout:
                print("busy")
            """), capture_output=True, text=True, timeout=30)
    assert other.stdout.strip() == "busy"


def test_check_answers_keeps_a_clean_file_as_it_is():
    content = {"quiz": {"q1": GOOD, "q2": {"answer": [2, 0, 1], "status": "incorrect"},
                        "q3": {"answer": None, "status": "invalid"}, "q4": {"answer": "about 30", "status": "invalid"}}}
    assert check_answers(json.dumps(content).encode()) == (content, "")


# ---------------------------------------------------------------- erasing, and presenter mode

def test_forget_erases_one_question_one_quiz_or_all(tmp_path):
    path = tmp_path / "progress.json"
    progress = Progress(path)
    for quiz, question in (("a", "1"), ("a", "2"), ("b", "1")):
        progress.save(quiz, question, 1, "correct")
    assert progress.forget("a", ["1"])
    assert set(json.loads(path.read_text())["a"]) == {"2"}
    assert progress.forget("a", ["2"]) and "a" not in json.loads(path.read_text())  # no empty quiz left
    assert progress.forget("b") and json.loads(path.read_text()) == {}
    progress.save("c", "1", 1, "correct")
    assert progress.forget() and progress.answers == {} and Progress(path).answers == {}


def test_forget_keeps_what_another_kernel_saved_in_another_quiz(tmp_path):
    path = tmp_path / "progress.json"
    mine, other = Progress(path), Progress(path)
    mine.save("a", "1", 1, "correct")
    other.save("b", "1", 2, "incorrect")
    assert mine.forget("a")
    assert json.loads(path.read_text()) == {"b": {"1": other.answers["b"]["1"]}}


def test_a_forget_that_cannot_write_says_why(tmp_path):
    folder = tmp_path / "home"
    folder.mkdir()
    progress = Progress(folder / "progress.json")
    progress.save("a", "1", 1, "correct")
    with read_only(folder):
        assert not progress.forget()
    assert progress.problem.startswith("Your saved answers could not be erased: ")
    assert Progress(folder / "progress.json").get("a", "1") is not None


def test_presenter_mode_neither_shows_nor_writes(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    Progress(path).save("a", "1", 1, "correct")
    monkeypatch.setattr(progress_module, "_presenter", None)
    monkeypatch.setenv("NATOCOURSE_PRESENTER", "yes")
    projected = Progress(path)
    assert projected.get("a", "1") is None
    assert projected.save("a", "1", 0, "incorrect") and projected.save("a", "2", 0, "incorrect")
    progress_module.presenter_mode(False)  # the function wins over the environment
    assert Progress(path).get("a", "1")["answer"] == 1 and Progress(path).get("a", "2") is None


def test_extra_fields_are_saved_with_the_answer(tmp_path):
    path = tmp_path / "progress.json"
    Progress(path).save("a", "1", 0, "correct", "abc", tries=2, first="incorrect", first_answer=1, shown=False)
    saved = Progress(path).get("a", "1")
    assert (saved["tries"], saved["first"], saved["first_answer"], saved["options"]) == (2, "incorrect", 1, "abc")
