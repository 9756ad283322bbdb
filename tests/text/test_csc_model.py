"""The optional neural checker (govsite.text.csc): loading a model directory and running it with
ONNX Runtime, on a tiny model the test builds (no weights can be downloaded here). The model has the
interface of a BERT CSC export (input_ids, attention_mask, token_type_ids -> logits over the
vocabulary); it predicts every character as itself except 按 -> 安 and 仁 -> 任, so what is checked is
govsite's side: tokenising, batching, offsets, thresholds, masked spans, the merge with the
statistical layer, the helper and the command line."""

from __future__ import annotations

import json

import pytest

onnx = pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")
pytest.importorskip("tokenizers")

import numpy as np  # noqa: E402
from click.testing import CliRunner  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from govsite.cli import main  # noqa: E402
from govsite.text import csc, typo_helper  # noqa: E402

SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
CHARS = "请于本周五前按置完毕。我们要认真落实责任仁制安《》关于的通知"
FIXES = {"按": "安", "仁": "任"}


def build_model(folder, fixes=FIXES, scale=20.0):
    vocab = SPECIAL + sorted(set(CHARS))
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    index = {t: i for i, t in enumerate(vocab)}
    weights = np.eye(len(vocab), dtype=np.float32) * scale
    for wrong, right in fixes.items():
        weights[index[wrong]] = 0.0
        weights[index[wrong], index[right]] = scale
    ids = helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "length"])
    mask = helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "length"])
    types = helper.make_tensor_value_info("token_type_ids", TensorProto.INT64, ["batch", "length"])
    logits = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "length", len(vocab)])
    nodes = [
        helper.make_node("Gather", ["W", "input_ids"], ["scores"]),
        # attention_mask and token_type_ids are read (multiplied by zero) so the graph keeps them as inputs
        helper.make_node("Add", ["attention_mask", "token_type_ids"], ["sum"]),
        helper.make_node("Cast", ["sum"], ["sum_f"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["sum_f", "axis"], ["sum_3d"]),
        helper.make_node("Mul", ["sum_3d", "zero"], ["nothing"]),
        helper.make_node("Add", ["scores", "nothing"], ["logits"]),
    ]
    initializers = [
        numpy_helper.from_array(weights, "W"),
        numpy_helper.from_array(np.array([-1], dtype=np.int64), "axis"),
        numpy_helper.from_array(np.array(0.0, dtype=np.float32), "zero"),
    ]
    graph = helper.make_graph(nodes, "tiny_csc", [ids, mask, types], [logits], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(model)
    onnx.save(model, str(folder / "model.onnx"))
    return folder


@pytest.fixture
def model_dir(tmp_path, monkeypatch):
    # recorded as unset, so whatever --csc-model sets in os.environ is removed after the test
    monkeypatch.setenv(csc.ENV, "")
    monkeypatch.delenv(csc.ENV)
    csc.model.cache_clear()
    yield build_model(tmp_path)
    csc.model.cache_clear()


def test_the_model_finds_its_corrections_with_offsets_in_batches(model_dir):
    model = csc.CscModel.load(model_dir)
    sentences = ["请于本周五前按置完毕。", "我们要认真落实责任制。"] * 20  # more than one batch
    found = model.find_typos(sentences)
    assert len(found) == 40
    assert [(h.start, h.wrong, h.correct) for h in found[0]] == [(6, "按", "安")]
    assert found[1] == [] and found[38] == found[0]
    assert found[0][0].score > csc.MIN_PROBABILITY


def test_masked_spans_and_the_whitelist_are_never_corrected(model_dir):
    model = csc.CscModel.load(model_dir)
    assert model.find_typos(["《关于按置的通知》"]) == [[]]
    assert model.find_typos(["请于本周五前按置完毕。"], whitelist={"按置"}) == [[]]


def test_an_unsure_model_says_nothing(tmp_path):
    (tmp_path / "flat").mkdir()
    model = csc.CscModel.load(build_model(tmp_path / "flat", scale=1.0))  # flat probabilities: below the threshold
    assert model.find_typos(["请于本周五前按置完毕。"]) == [[]]


def test_a_directory_that_cannot_be_used_is_a_clear_error(tmp_path, model_dir):
    broken = tmp_path / "broken"
    broken.mkdir()
    with pytest.raises(csc.CscModelError, match=r"缺少 model\.onnx"):
        csc.CscModel.load(broken)
    (broken / "model.onnx").write_bytes(b"not a model")
    (broken / "vocab.txt").write_text("[PAD]\n", encoding="utf-8")
    with pytest.raises(csc.CscModelError, match="无法加载"):
        csc.CscModel.load(broken)
    result = CliRunner().invoke(main, ["text", "check", "-", "--csc-model", str(broken)], input="请按置。")
    assert result.exit_code != 0 and "无法加载" in result.output


def test_the_helper_adds_the_models_hits_to_the_statistical_ones(model_dir, monkeypatch):
    text = "请于本周五前按置完毕。我们要认真落实责仁制。"
    assert [h.wrong for h in typo_helper.hits([text], frozenset())[0]] == ["责仁"]  # no model configured
    monkeypatch.setenv(csc.ENV, str(model_dir))
    hits = typo_helper.hits([text], frozenset())[0]
    # the model's 仁 -> 任 overlaps the statistical 责仁 -> 责任 and is not added twice
    assert [(text[h.start : h.end], h.correct) for h in hits] == [("按", "安"), ("责仁", "责任")]


def test_text_check_runs_the_model_given_on_the_command_line(model_dir):
    args = ["text", "check", "-", "--format", "json"]
    plain = CliRunner().invoke(main, args, input="请于本周五前按置完毕。")
    assert plain.exit_code == 0 and json.loads(plain.output) == []
    result = CliRunner().invoke(main, [*args, "--csc-model", str(model_dir)], input="请于本周五前按置完毕。")
    assert result.exit_code == 0, result.output
    assert [(r["text"], r["expected"]) for r in json.loads(result.output)] == [("按", "安")]


def test_no_model_is_left_configured_after_these_tests():
    import os

    assert csc.ENV not in os.environ
