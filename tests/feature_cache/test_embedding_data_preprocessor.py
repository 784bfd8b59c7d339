import pytest
import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample

from a3lign_mmaction.datasets import packed_collate
from a3lign_mmaction.testing import load_config


def cached_batch(size=6, views=1):
    """A packed batch of fp16 embeddings, as the cached loaders give."""
    torch.manual_seed(0)
    return packed_collate([
        dict(
            inputs=torch.randn(views, 16, 64).half(),
            data_samples=ActionDataSample().set_gt_label(i % 7))
        for i in range(size)
    ])


def test_same_inputs_as_action_data_preprocessor():
    ours = MODELS.build(dict(type='EmbeddingDataPreprocessor'))
    theirs = MODELS.build(dict(type='ActionDataPreprocessor'))
    for views in (1, 3):
        batch = cached_batch(views=views)
        out = ours(batch, training=True)
        expected = theirs(batch, training=True)['inputs']
        assert out['inputs'].dtype == torch.float32
        assert out['inputs'].shape == (6, views, 16, 64)
        assert torch.equal(out['inputs'], expected)
        # The data samples are handed on as they are, on the host.
        assert out['data_samples'] is batch['data_samples']
    stacked = dict(inputs=torch.stack(batch['inputs']), data_samples=None)
    assert torch.equal(ours(stacked)['inputs'], expected)


def test_frames_are_normalised_as_the_frame_configs_do():
    """The cached configs' preprocessor treats frames (what MMAction2's
    inference API gives) as the frame configs' does."""
    frame_cfg = load_config('a3lign_demo.py').model.data_preprocessor
    cached_cfg = load_config('a3lign_demo_cached.py').model.data_preprocessor
    torch.manual_seed(0)
    batch = dict(
        inputs=[torch.randint(0, 256, (1, 3, 16, 8, 8), dtype=torch.uint8)],
        data_samples=[ActionDataSample()])
    expected = MODELS.build(frame_cfg)(batch)['inputs']
    assert torch.equal(MODELS.build(cached_cfg)(batch)['inputs'], expected)
    assert expected.abs().max() < 3  # normalised, not 0..255
    with pytest.raises(ValueError, match='mean and std'):
        MODELS.build(dict(type='EmbeddingDataPreprocessor'))(batch)


def test_cached_config_trains_and_predicts_with_it(build_tiny_model):
    cfg = load_config('a3lign_demo_cached.py')
    assert cfg.model.data_preprocessor.type == 'EmbeddingDataPreprocessor'
    torch.manual_seed(0)
    model = build_tiny_model(data_preprocessor=dict(
        cfg.model.data_preprocessor, _delete_=True))
    reference = MODELS.build(dict(type='ActionDataPreprocessor'))
    model.set_stage(3)
    batch = cached_batch()
    losses = model.train()(**model.data_preprocessor(batch, True),
                           mode='loss')
    expected = model(**reference(batch, True), mode='loss')
    torch.testing.assert_close(losses['loss_cls'], expected['loss_cls'])
    with torch.no_grad():
        predictions = model.eval()(**model.data_preprocessor(batch),
                                   mode='predict')
    assert [p.pred_score.shape for p in predictions] == [(7, )] * 6
