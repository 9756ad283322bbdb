"""The optional neural typo checker: a Chinese spelling correction (CSC) model run with ONNX Runtime.

A deployment enables it by pointing at a local model directory (`GOVSITE_CSC_MODEL=DIR`,
or `govsite text check --csc-model DIR`); nothing is ever downloaded. The directory holds a
BERT-style masked-language model exported to ONNX (a MacBERT4CSC-style corrector, whose
output at each position is the character that belongs there) and its WordPiece vocabulary:

    DIR/model.onnx   inputs input_ids (+ attention_mask, token_type_ids if the graph has them),
                     int64 [batch, length]; first output logits [batch, length, vocabulary]
    DIR/vocab.txt    one token a line (BERT's vocab.txt), read by the `tokenizers` library

For every Chinese character outside the positions the statistical layer never checks
(《titles》, quotes, document numbers, page chrome: typos.masked_positions), the model's
most likely token is a correction when it is another single Chinese character, its
probability is at least `MIN_PROBABILITY` and the character as written gets at most
`MAX_WRITTEN` (a model unsure of its fix says nothing). Install: `pip install govsite[csc]`
(onnxruntime and tokenizers, pinned; no torch).

Not for: the statistical layer (govsite.text.typos), the lexicon layer (govsite.text.wording).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from govsite.text.typos import CJK, MAX_SENTENCE, TypoHit, masked_positions
from govsite.text.wording import MAX_TEXT_CHARS, sentence_spans

ENV = "GOVSITE_CSC_MODEL"
MIN_PROBABILITY = 0.9  # the model's probability of its correction
MAX_WRITTEN = 0.05  # and at most this for the character as written
BATCH = 16  # sentences per inference call


class CscModelError(Exception):
    """The model directory cannot be used (missing file, wrong inputs, no onnxruntime)."""


@dataclass
class CscModel:
    session: Any  # onnxruntime.InferenceSession
    tokenizer: Any  # tokenizers.Tokenizer
    inputs: tuple[str, ...]

    @classmethod
    def load(cls, directory: str | Path) -> CscModel:
        """The model in `directory` (model.onnx and vocab.txt), on one CPU thread."""
        folder = Path(directory)
        model, vocab = folder / "model.onnx", folder / "vocab.txt"
        for path in (model, vocab):
            if not path.is_file():
                raise CscModelError(f"纠错模型目录 {folder} 缺少 {path.name}")
        try:
            import onnxruntime
            from tokenizers import BertWordPieceTokenizer
        except ImportError as exc:
            raise CscModelError(f"纠错模型需要 onnxruntime 和 tokenizers（pip install govsite[csc]）：{exc}") from exc
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1  # the judge's helper has one core
        options.inter_op_num_threads = 1
        try:
            session = onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types for a bad file
            raise CscModelError(f"纠错模型 {model} 无法加载：{exc}") from exc
        inputs = tuple(i.name for i in session.get_inputs())
        if "input_ids" not in inputs or not set(inputs) <= {"input_ids", "attention_mask", "token_type_ids"}:
            raise CscModelError(f"纠错模型 {model} 的输入应为 input_ids、attention_mask、token_type_ids：{inputs}")
        tokenizer = BertWordPieceTokenizer(str(vocab), lowercase=False, strip_accents=False)
        return cls(session, tokenizer, inputs)

    def find_typos(self, sentences: list[str], whitelist: Iterable[str] = ()) -> list[list[TypoHit]]:
        """The model's corrections in each sentence (one character each), in sentence order."""
        words = tuple(whitelist)
        found: list[list[TypoHit]] = []
        for i in range(0, len(sentences), BATCH):
            found += self._batch([s[:MAX_SENTENCE] for s in sentences[i : i + BATCH]], words)
        return found

    def text_typos(self, text: str, whitelist: Iterable[str] = ()) -> list[TypoHit]:
        """The model's corrections in a whole text, sentence by sentence, with offsets in `text`."""
        text = text[:MAX_TEXT_CHARS]
        spans = [(s, e) for s, e in sentence_spans(text) if CJK.search(text[s:e])]
        found = self.find_typos([text[s:e] for s, e in spans], whitelist)
        placed = zip(spans, found, strict=True)
        return [replace(h, start=s + h.start, end=s + h.end) for (s, _), hits in placed for h in hits]

    def _batch(self, sentences: list[str], whitelist: tuple[str, ...]) -> list[list[TypoHit]]:
        import numpy as np

        if not sentences:
            return []
        encodings = self.tokenizer.encode_batch(sentences)
        length = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(sentences), length), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        logits = self.session.run(None, {name: feeds[name] for name in self.inputs})[0]
        shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
        probabilities = shifted / shifted.sum(axis=-1, keepdims=True)
        return [
            self._hits(sentence, encoding, probabilities[row], whitelist)
            for row, (sentence, encoding) in enumerate(zip(sentences, encodings, strict=True))
        ]

    def _hits(self, sentence: str, encoding: Any, probabilities: Any, whitelist: tuple[str, ...]) -> list[TypoHit]:
        mask = masked_positions(sentence, whitelist)
        hits = []
        for position, (start, end) in enumerate(encoding.offsets):
            if end - start != 1 or not CJK.match(sentence[start]) or mask[start]:
                continue
            best = int(probabilities[position].argmax())
            correct = self.tokenizer.id_to_token(best) or ""
            written = encoding.ids[position]
            if (
                len(correct) == 1
                and CJK.match(correct)
                and correct != sentence[start]
                and probabilities[position, best] >= MIN_PROBABILITY
                and probabilities[position, written] <= MAX_WRITTEN
            ):
                hits.append(TypoHit(start, end, sentence[start], correct, float(probabilities[position, best])))
        return hits


def configured_directory() -> str | None:
    """The model directory a deployment set (GOVSITE_CSC_MODEL), or None: the checker is off."""
    return os.environ.get(ENV) or None


@cache
def model(directory: str) -> CscModel:
    return CscModel.load(directory)


def with_model_hits(text: str, hits: list[TypoHit], whitelist: Iterable[str] = ()) -> list[TypoHit]:
    """`hits` (the statistical layer's) and the configured model's corrections that overlap none of them."""
    directory = configured_directory()
    if directory is None:
        return hits
    extra = [
        h
        for h in model(directory).text_typos(text, whitelist)
        if not any(h.start < t.end and t.start < h.end for t in hits)
    ]
    return sorted([*hits, *extra], key=lambda h: h.start) if extra else hits


def use_model(directory: str) -> None:
    """Enable the checker with the model in `directory` for this process and its helpers (loaded now:
    a directory that cannot be used is a CscModelError here, not a failure later in a scan)."""
    model(str(directory))
    os.environ[ENV] = str(directory)


def typo_hits_with_model(text: str, whitelist: Iterable[str]) -> list[TypoHit] | None:
    """The statistical layer's and the model's hits in `text` when a model is configured; None when not
    (check_text then finds the statistical hits itself)."""
    if configured_directory() is None:
        return None
    from govsite.text.wording import general_typo_hits

    return with_model_hits(text, general_typo_hits(text, whitelist), whitelist)
