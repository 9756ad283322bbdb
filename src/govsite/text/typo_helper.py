"""The statistical typo layer in a helper process, beside the judge.

The judge runs on one thread once the crawl is over, when the machine's other
core is idle; the statistical typo layer (jieba segmentation of every distinct
sentence, `wording.general_typo_hits`) is the largest part of its work. While
`running()` is active, `hits_later(texts, whitelist)` sends the texts to one
helper process (`python -m govsite.text.typo_helper`, started at once so that
it loads jieba while the judge reads the crawl's records) and the judge goes
on with the other detectors and the lexicon layer; the returned function
waits for the hits. The judge holds `running()` through the wording
detector's context (`checks/wording.typo_layer`, the detector contract's
`prepare`), so it never imports the detector to start the helper.

Nothing depends on the helper: without it (not running, typos off, no child
process possible, a helper that died) the same function computes the hits
on the calling thread, with the same results. The helper imports only the
text layer (~200 MB with jieba and its tagger), not the judge's records or
the crawler; tasks and answers are govsite.frames over its stdin and a pipe
of its own, and a writer thread feeds it so the judge never blocks on a
full pipe.

Not for: deciding what a typo is (govsite.text.typos) or which text is read
(govsite.checks.wording).
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import BinaryIO

from govsite.frames import PROTOCOL, frame, helper_env, read_frame, serve
from govsite.text.typos import TypoHit

log = logging.getLogger(__name__)


class HelperLost(Exception):
    """The helper process ended or answered out of turn."""


class _Helper:
    """One helper process: tasks written by a thread, answers read in order by the caller."""

    def __init__(self) -> None:
        read_end, write_end = os.pipe()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "govsite.text.typo_helper", str(write_end)],
                stdin=subprocess.PIPE,
                pass_fds=(write_end,),
                env=helper_env(),
            )
        finally:
            os.close(write_end)
        self.answers: BinaryIO = os.fdopen(read_end, "rb")
        self.outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self.sent = 0
        self.read = -1  # the ready answer (ident 0) comes first
        self.done: dict[int, tuple[bool, bytes | str]] = {}
        threading.Thread(target=self._write, name="typo-helper-writer", daemon=True).start()

    def _write(self) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        with contextlib.suppress(OSError):  # a helper that died: its tasks are redone by the caller
            while (data := self.outbox.get()) is not None:
                stdin.write(data)
                stdin.flush()
            stdin.close()

    def submit(self, name: str, *args) -> int:
        self.sent += 1
        self.outbox.put(frame(pickle.dumps((self.sent, name, args), protocol=PROTOCOL)))
        return self.sent

    def result(self, ident: int):
        while ident not in self.done:
            payload = read_frame(self.answers)
            if payload is None:
                raise HelperLost(f"辅助进程已退出（返回码 {self.process.poll()}）")
            answer_id, ok, result = pickle.loads(payload)
            self.read += 1
            if answer_id != self.read:
                raise HelperLost(f"辅助进程答非所问（{answer_id} ≠ {self.read}）")
            self.done[answer_id] = (ok, result)
        ok, result = self.done.pop(ident)
        if not ok:
            raise RuntimeError(result)
        return pickle.loads(result)

    def close(self) -> None:
        # Killed, not asked to exit: it holds nothing to save, and tearing down its dictionaries would
        # keep the judge waiting ~0.2 s.
        self.outbox.put(None)
        self.process.kill()
        self.process.wait()
        self.answers.close()


_helper: _Helper | None = None


@contextlib.contextmanager
def running(enabled: bool = True) -> Iterator[None]:
    """Keep a helper process while the block runs (nested uses share the outer one)."""
    global _helper
    if not enabled or _helper is not None:
        yield
        return
    try:
        helper = _Helper()
    except OSError as exc:  # no child process here: the judge does the work itself
        log.info("错别字检测辅助进程未启动（%s），在本进程内检测", exc)
        yield
        return
    _helper = helper
    try:
        yield
    finally:
        _helper = None
        helper.close()


def hits_later(texts: Sequence[str], whitelist: frozenset[str]) -> Callable[[], list[list[TypoHit]]]:
    """Start finding the statistical layer's hits in each of `texts`; call the result to get them."""
    texts = list(texts)
    helper = _helper
    ident = helper.submit("hits", texts, whitelist) if helper is not None else None

    def result() -> list[list[TypoHit]]:
        if helper is not None and ident is not None:
            try:
                return helper.result(ident)
            except Exception as exc:  # a helper that died (OOM killer, crash) loses no finding
                log.warning("错别字检测辅助进程出错（%s: %s），在本进程内重新检测", type(exc).__name__, exc)
        return hits(texts, whitelist)

    return result


def hits(texts: list[str], whitelist: frozenset[str]) -> list[list[TypoHit]]:
    """The statistical layer's hits in each text (what the helper computes), with the neural checker's
    when a deployment set one (govsite.text.csc: GOVSITE_CSC_MODEL)."""
    from govsite.text.csc import with_model_hits
    from govsite.text.wording import general_typo_hits

    return [with_model_hits(text, general_typo_hits(text, whitelist), whitelist) for text in texts]


def main() -> None:
    from govsite.text import typos

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the judge's to handle; stdin closing ends us
    with contextlib.suppress(BrokenPipeError), os.fdopen(int(sys.argv[1]), "wb") as answers:
        typos.warm_up()  # before reading: the judge is still loading the crawl's records
        serve({"hits": hits}, sys.stdin.buffer, answers)  # a judge that died leaves a broken pipe: we end


if __name__ == "__main__":
    # Run as govsite.text.typo_helper, not as __main__: the answers' classes must pickle under the
    # names the judge knows.
    from govsite.text.typo_helper import main as _main

    _main()
