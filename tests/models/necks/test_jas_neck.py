import pytest
import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample

from a3lign_mmaction.models import JASNeck


def test_sentences_must_match_frames():
    with pytest.raises(ValueError, match=r'num_sentences=8\) must equal the '
                       r'number of frames per clip \(num_frames=16\)'):
        JASNeck(embed_dim=64, num_frames=16, num_sentences=8)


def test_shared_time_axis():
    neck = JASNeck(embed_dim=64, num_frames=4, num_sentences=4).eval()
    x = torch.randn(2, 4, 64)
    with torch.no_grad():
        video = neck.encode_video(x)
        text = neck.encode_text(x)
        # Both encoders read the one time embedding.
        neck.time_embed.add_(torch.randn_like(neck.time_embed))
        assert not torch.allclose(neck.encode_video(x), video)
        assert not torch.allclose(neck.encode_text(x), text)
    assert neck.text_encoder is not neck.video_encoder
    shared = JASNeck(embed_dim=64, num_frames=4, share_weights=True,
                     num_sentences=4)
    assert shared.text_encoder is shared.video_encoder


def test_contract_and_video_paths():
    neck = JASNeck(embed_dim=64, num_frames=4, num_sentences=4)
    x = torch.randn(3, 4, 64)
    feats, aux = neck(x, data_samples=None)
    assert feats.shape == (3, 64, 1, 1, 1) and aux == {}
    neck.video_path = 'mean'
    normalized = torch.nn.functional.normalize(x, dim=-1)
    torch.testing.assert_close(neck(x)[0].flatten(1), normalized.mean(1))
    neck.normalize_inputs = False
    torch.testing.assert_close(neck(x)[0].flatten(1), x.mean(1))
    with pytest.raises(ValueError, match='video_path must be one of'):
        neck.video_path = 'max'


def test_projects_feature_maps_of_other_width():
    neck = JASNeck(embed_dim=64, num_frames=4, num_sentences=4,
                   in_channels=24)
    feats, _ = neck(torch.randn(2, 24, 4, 3, 3))
    assert feats.shape == (2, 64, 1, 1, 1)
    with pytest.raises(ValueError, match='built for 4 time steps, got 8'):
        neck(torch.randn(2, 24, 8, 3, 3))


def test_temporal_encoder_in_stock_recognizer():
    """JAS as a plain temporal encoder between a stock backbone and head."""
    model = MODELS.build(
        dict(
            type='Recognizer3D',
            backbone=dict(
                type='X3D', gamma_w=0.25, gamma_b=0.25, gamma_d=0.5,
                spatial_strides=(2, 2, 2, 2), se_style='half'),
            neck=dict(type='JASNeck', embed_dim=32, num_frames=4,
                      num_sentences=4, in_channels=16,
                      encoder=dict(type='TemporalTransformer', num_heads=4)),
            cls_head=dict(
                type='I3DHead', num_classes=5, in_channels=32,
                average_clips='prob'),
            data_preprocessor=dict(
                type='ActionDataPreprocessor', format_shape='NCTHW')))
    inputs = torch.randn(2, 1, 3, 4, 32, 32)
    samples = [ActionDataSample().set_gt_label(i) for i in range(2)]
    losses = model(inputs, samples, mode='loss')
    losses['loss_cls'].backward()
    assert model.neck.video_encoder.cls_token.grad is not None
    model.eval()
    with torch.no_grad():
        out = model(inputs, samples, mode='predict')
    assert out[0].pred_score.shape == (5, )


def test_video_path_travels_with_the_weights(mmengine_log):
    trained = JASNeck(embed_dim=64, num_frames=4, num_sentences=4,
                      video_path='mean')
    state = trained.state_dict()
    assert state['_extra_state'].dtype == torch.uint8
    neck = JASNeck(embed_dim=64, num_frames=4, num_sentences=4)
    neck.load_state_dict(state)
    assert neck.video_path == 'mean'
    assert "video path 'mean' from the state dict" in mmengine_log.text


def test_state_dict_without_the_record_is_refused():
    state = JASNeck(embed_dim=64, num_frames=4, num_sentences=4,
                    video_path='mean').state_dict()
    del state['_extra_state']
    neck = JASNeck(embed_dim=64, num_frames=4, num_sentences=4)
    with pytest.raises(RuntimeError, match='Missing key.*_extra_state'):
        neck.load_state_dict(state)
    assert neck.video_path == 'encoder'


def test_video_side_only():
    neck = JASNeck(embed_dim=64, num_frames=4, num_sentences=None)
    assert neck.text_encoder is None
    assert neck.parameter_groups()['text_encoder'] == []
    assert neck(torch.randn(2, 4, 64))[0].shape == (2, 64, 1, 1, 1)
    with pytest.raises(ValueError, match='without a text side'):
        neck.encode_text(torch.randn(3, 4, 64))
