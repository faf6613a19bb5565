"""The student's saved quiz answers: one small JSON file that survives damage, full disks and several kernels.

- **Validated on read.** Every entry is checked; what cannot be used (a file
  that is not text or not JSON, an entry that is not ``{"answer", "status"}``)
  is dropped, and the file as it was is copied aside under a name that is never
  reused, so nothing is ever deleted. The usable answers are kept.
- **Written atomically under a lock.** A save takes a lock (a ``.lock`` file
  beside the progress file), re-reads the file, merges in this notebook's new
  answers, and writes a temporary file that is renamed over the old one. Two
  kernels saving at once therefore both keep their answers, and a crash
  mid-write leaves the old file or the new one, never half of one.
- **A failed save loses nothing.** When the folder is read-only or the disk is
  full, ``save`` returns False and ``problem`` says why in a sentence; the
  answer stays in memory and is written with the next save that succeeds.

The file lives at ``$NATOCOURSE_PROGRESS`` if set, else ``~/.natocourse/progress.json``. Predictions
(``natocourse.widgets.predict``) are kept in it too, as the answers of the quiz named ``predictions``.

**Presenter mode** (``presenter_mode(True)``, or ``NATOCOURSE_PRESENTER=1`` in the environment): a teacher at
the projector sees nothing saved on this computer, and nothing answered is written to the file; answers live
only as long as the notebook stays open. ``forget`` erases saved answers (``natocourse.quiz.reset_answers``).

>>> import tempfile, pathlib
>>> progress = Progress(pathlib.Path(tempfile.mkdtemp()) / "progress.json")
>>> progress.save("start_here", "members-today", "32", "correct")
True
>>> progress.get("start_here", "members-today")["status"]
'correct'
"""
from __future__ import annotations

import contextlib
import datetime as dt
import errno
import itertools
import json
import os
import tempfile
import time
from pathlib import Path

STATUSES = ("correct", "partly", "incorrect", "invalid",  # as quiz.Result marks an answer
            "guessed", "revealed")  # a prediction: a guess made, then the answer shown
PREDICTIONS = "predictions"  # the "quiz" under which predictions are saved
LOCK_WAIT = 10.0  # seconds a save waits for another notebook's save before giving up (and keeping the answer)


_presenter: bool | None = None  # set by presenter_mode(); None: the environment decides


def presenter_mode(on: bool | None = None) -> bool:
    """Turn presenter mode on (True) or off (False), or only ask (None); says whether it is on.

    Under it saved answers are neither shown nor written (see the module's docstring). Until this is
    called, ``NATOCOURSE_PRESENTER=1`` (or true/yes/on) in the environment turns it on.
    """
    global _presenter
    if on is not None:
        _presenter = bool(on)
    if _presenter is not None:
        return _presenter
    return os.environ.get("NATOCOURSE_PRESENTER", "").strip().lower() in ("1", "true", "yes", "on")


def progress_path() -> Path:
    """Where the answers are kept."""
    if os.environ.get("NATOCOURSE_PROGRESS"):
        return Path(os.environ["NATOCOURSE_PROGRESS"])
    try:
        return Path.home() / ".natocourse" / "progress.json"
    except (RuntimeError, KeyError):  # no home folder at all: keep answers for this session at least
        return Path(tempfile.gettempdir()) / "natocourse" / "progress.json"


class SavedFile:
    """A file of saved work, opened so that nothing in it is lost: what the answers and the negotiation's rounds share.

    A subclass says how its content is checked (``check``: bytes or None -> content, what was wrong) and
    written (``dump``), what it holds in words (``OWNER``, ``ITEMS``: "your" "answers"), and what to tell the
    student when a damaged file was set aside (``set_aside_notice``). Opening reads the file; a damaged one
    is copied aside and rewritten with its usable part, under the lock. ``notice`` says what happened then;
    ``problem`` why the last save failed.
    """

    OWNER, ITEMS = "your", "answers"

    def __init__(self, path: Path):
        self.path = path
        self.notice = ""   # for the student: what was set aside when the file was read
        self.problem = ""  # for the student: why the last save failed ("" once a save succeeds)

    def check(self, text: bytes | None):
        raise NotImplementedError

    def dump(self, content) -> str:
        raise NotImplementedError

    def set_aside_notice(self, damage: str, kept: Path, content) -> str:
        raise NotImplementedError

    def why(self, err: OSError) -> str:
        """Why a file operation failed, in words (a busy lock named as this kind of file)."""
        if isinstance(err, LockTimeout):
            return f"another notebook kept the {self.ITEMS} file busy"
        return reason(err, self.path)

    def _open(self):
        """The usable content on disk when the notebook opens it (empty if there is none)."""
        try:
            text = read_if_there(self.path)
        except OSError as err:  # there, but not readable: leave it alone, and every save will say so too
            self.notice = (f"{self.OWNER.capitalize()} saved {self.ITEMS} could not be opened: {self.why(err)}. "
                           f"New {self.ITEMS} are kept while this notebook stays open.")
            text = None
        content, damage = self.check(text)
        if damage:
            try:
                with file_lock(self.path):
                    content = self._repair()
            except OSError as err:  # cannot set the file aside (read-only folder): keep the usable part
                self.notice = (f"Some of {self.OWNER} saved {self.ITEMS} in {self.path} could not be used ({damage}), "
                               f"and the file could not be copied aside ({self.why(err)}). "
                               f"The usable {self.ITEMS} are shown; the file was left as it is.")
        return content

    def _rewrite(self, change, failure: str):
        """Under the lock: the file read again (a damaged one repaired), ``change`` applied to it, written atomically.

        Returns the new content, or None when it could not be written; ``problem`` then says why, in the
        sentence ``failure`` (with ``{why}`` in it). No empty file is created where there was none.
        """
        try:
            with file_lock(self.path):
                content = change(self._repair())
                if content or self.path.exists():
                    write_atomically(self.path, self.dump(content))
        except OSError as err:
            self.problem = failure.format(why=self.why(err))
            return None
        self.problem = ""
        return content

    def _repair(self):
        """With the lock held: the usable content on disk; a damaged file is copied aside and rewritten clean."""
        text = read_if_there(self.path)
        content, damage = self.check(text)
        if damage:
            kept = set_aside(self.path, text)
            write_atomically(self.path, self.dump(content))
            self.notice = self.set_aside_notice(damage, kept, content)
        return content


class Progress(SavedFile):
    """Saved answers by quiz and question: ``{quiz: {question: {"answer", "status", "saved", "options"}}}``."""

    def __init__(self, path: Path | str | None = None):
        super().__init__(Path(path) if path else progress_path())
        self._unsaved: dict[str, dict[str, dict]] = {}  # answers not yet on disk: written with the next save
        self.answers = self._open()

    def check(self, text: bytes | None) -> tuple[dict, str]:
        return check_answers(text)

    def dump(self, answers: dict) -> str:
        return json.dumps(answers, indent=1, ensure_ascii=False)

    def set_aside_notice(self, damage: str, kept: Path, answers: dict) -> str:
        if answers:
            return (f"Some of your saved answers in {self.path} could not be used ({damage}). "
                    f"The file as it was is kept as {kept.name}; your other answers are kept.")
        return (f"Your saved answers file {self.path} could not be read ({damage}). "
                f"It was kept as {kept.name} and a new one has been started; "
                "your teacher can help recover the old answers from it.")

    def get(self, quiz: str, question: str) -> dict | None:
        """The saved answer, or None (always None in presenter mode)."""
        return None if presenter_mode() else self.answers.get(quiz, {}).get(question)

    def save(self, quiz: str, question: str, answer, status: str, options: str | None = None, **more) -> bool:
        """Record one answer, merge it into the file under the lock, and say whether it reached the disk.

        ``options`` is the question's fingerprint (``Question.fingerprint``), so a later change to the
        question's options can be recognised; ``more`` are further fields of the entry (tries, first attempt).
        On failure the answer is kept in memory, ``problem`` says why, and the next save writes it too.
        In presenter mode nothing is written, and the answer is not kept either.
        """
        if presenter_mode():
            return True
        entry = {"answer": answer, "status": status, "saved": dt.datetime.now().isoformat(timespec="seconds")}
        if options is not None:
            entry["options"] = options
        entry.update(more)
        self.answers.setdefault(quiz, {})[question] = entry
        self._unsaved.setdefault(quiz, {})[question] = entry
        merged = self._rewrite(self._with_unsaved, "Your answer was checked but could not be saved: {why}. It is kept "
                               "while this notebook stays open and will be saved with your next answer.")
        if merged is None:
            return False
        self._unsaved.clear()
        self.answers = merged
        return True

    def forget(self, quiz: str | None = None, questions=None) -> bool:
        """Erase saved answers: all (quiz None), one quiz's, or only some ``questions`` of it; False on failure.

        Written like a save (under the lock, atomically); on failure ``problem`` says why.
        """
        def erase(answers: dict) -> dict:
            if quiz is None:
                answers.clear()
            elif questions is None:
                answers.pop(quiz, None)
            else:
                for question in questions:
                    answers.get(quiz, {}).pop(question, None)
                if not answers.get(quiz, True):
                    del answers[quiz]
            return answers

        erase(self.answers)
        erase(self._unsaved)
        merged = self._rewrite(erase, "Your saved answers could not be erased: {why}.")
        if merged is None:
            return False
        self.answers = self._with_unsaved(merged)  # answers still waiting for a save stay in memory
        return True

    def _with_unsaved(self, answers: dict) -> dict:
        for name, entries in self._unsaved.items():
            answers.setdefault(name, {}).update(entries)
        return answers


# ---------------------------------------------------------------- checking what was read

def check_answers(text: bytes | None) -> tuple[dict, str]:
    """The usable answers in a progress file's bytes, and what was wrong with the rest ("" if nothing).

    >>> answers, damage = check_answers(b'{"quiz": {"q1": {"answer": 1, "status": "correct"}, "q2": "yes"}}')
    >>> answers
    {'quiz': {'q1': {'answer': 1, 'status': 'correct'}}}
    >>> damage
    'the answer to question "q2" of quiz "quiz" is not a saved answer'
    >>> check_answers(b'\\x00\\xff')[1]
    'it is not text'
    """
    if text is None:
        return {}, ""
    try:
        raw = json.loads(text.decode("utf-8"))
    except UnicodeDecodeError:
        return {}, "it is not text"
    except ValueError as err:
        return {}, f"it is not in the expected format: {getattr(err, 'msg', err)}"
    except RecursionError:
        return {}, "it is not in the expected format: nested too deeply"
    if not isinstance(raw, dict):
        return {}, "it does not list answers by quiz"
    answers, problems = {}, []
    for quiz, entries in raw.items():
        if not isinstance(entries, dict):
            problems.append(f'the answers to quiz "{quiz}" are not a list of questions')
            continue
        for question, entry in entries.items():
            if usable_entry(entry):
                answers.setdefault(quiz, {})[question] = entry
            else:
                problems.append(f'the answer to question "{question}" of quiz "{quiz}" is not a saved answer')
    more = f" and {len(problems) - 2} more" if len(problems) > 2 else ""
    return answers, "; ".join(problems[:2]) + more


def usable_entry(entry) -> bool:
    """A saved answer has an answer (a number, text, a list of numbers or nothing) and a known status."""
    if not isinstance(entry, dict) or "answer" not in entry or entry.get("status") not in STATUSES:
        return False
    answer = entry["answer"]
    if isinstance(answer, list):
        return all(isinstance(i, int) and not isinstance(i, bool) for i in answer)
    return answer is None or (isinstance(answer, (str, int, float)) and not isinstance(answer, bool))


def reason(err: OSError, path: Path) -> str:
    """Why a file operation failed, in words a student can act on (``SavedFile.why`` names a busy lock)."""
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full (or your storage quota is used up)"
    if err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        if err.filename and Path(err.filename) == path and err.errno != errno.EROFS:
            return f"the file {path} cannot be opened (its permissions do not allow it)"
        return f"the folder {path.parent} cannot be written to"
    return f"the computer reported \"{err.strerror or err}\" for {path.parent}"


# ---------------------------------------------------------------- the file itself

def read_if_there(path: Path) -> bytes | None:
    """The file's bytes, or None when there is no file yet."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _now() -> dt.datetime:
    return dt.datetime.now()


def set_aside(path: Path, content: bytes) -> Path:
    """Copy content beside path under a name no other copy has (time to the microsecond, then a counter)."""
    stamp = f"{path.name}.damaged-{_now():%Y%m%d-%H%M%S-%f}"
    for number in itertools.count(1):
        kept = path.with_name(stamp if number == 1 else f"{stamp}-{number}")
        try:
            handle = os.open(kept, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            kept.unlink(missing_ok=True)  # no half copy: the original stays where it is
            raise
        return kept
    raise AssertionError("unreachable")


def write_atomically(path: Path, text: str) -> None:
    """Write text to path so that readers see the old content or the new, never a mixture."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class LockTimeout(OSError):
    """Another process held the lock for longer than LOCK_WAIT seconds."""


@contextlib.contextmanager
def file_lock(path: Path, wait: float | None = None):
    """Hold an exclusive lock on ``<path>.lock`` (flock on POSIX, msvcrt on Windows, none elsewhere).

    Waits up to ``wait`` seconds (LOCK_WAIT by default) for another process's lock, then raises LockTimeout.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        lock, unlock = _lockers()
        deadline = time.monotonic() + (LOCK_WAIT if wait is None else wait)
        locked = False
        while not locked:
            try:
                lock(handle)
                locked = True
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LockTimeout(errno.EAGAIN, "the answers file is locked") from None
                time.sleep(0.002)
            except OSError as err:
                if err.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
                    raise
                break  # a file system without locks (some network homes): best effort, the write stays atomic
        try:
            yield
        finally:
            if locked:
                unlock(handle)
    finally:
        os.close(handle)


def _lockers():
    try:
        import fcntl
    except ImportError:
        pass
    else:
        return (lambda fd: fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)), (lambda fd: fcntl.flock(fd, fcntl.LOCK_UN))
    try:
        import msvcrt
    except ImportError:  # neither POSIX nor Windows: best effort, the atomic write still holds
        return (lambda fd: None), (lambda fd: None)

    def lock(fd):
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as err:
            raise BlockingIOError(*err.args) from None

    def unlock(fd):
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    return lock, unlock
