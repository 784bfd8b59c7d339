import pytest
import torch
from mmaction.structures import ActionDataSample


def samples(labels):
    return [ActionDataSample().set_gt_label(label) for label in labels]


def clip_parameters(model):
    return {
        name: param
        for name, param in model.named_parameters()
        if name.startswith('backbone.visual.') or '.text_tower.' in name
    }


@pytest.mark.parametrize('views', [1, 3])
def test_shapes_and_scores(views, build_tiny_model):
    model = build_tiny_model().eval()
    inputs = torch.randn(2, views, 3, 16, 32, 32)
    with torch.no_grad():
        feats = model(inputs, mode='tensor', stage='neck')
        out = model(inputs, samples([0, 1]), mode='predict')
    assert feats.shape == (2 * views, 64, 1, 1, 1)
    for sample in out:
        assert sample.pred_score.shape == (7, )
        torch.testing.assert_close(sample.pred_score.sum(), torch.tensor(1.))
    losses = model.train()(inputs[:, :1], samples([3, 6]), mode='loss')
    assert losses['loss_cls'].ndim == 0 and 'top1_acc' in losses


def test_clip_built_once_and_shared(build_tiny_model, monkeypatch):
    from a3lign_mmaction.models.recognizers import clip_recognizer
    calls = []
    original = clip_recognizer.build_clip
    monkeypatch.setattr(clip_recognizer, 'build_clip',
                        lambda **kw: calls.append(kw) or original(**kw))
    model = build_tiny_model()
    assert len(calls) == 1
    assert model.cls_head.in_channels == model.neck.embed_dim == 64


@pytest.mark.parametrize('stage', [1, 2, 3])
def test_step_keeps_clip_and_moves_trainable(stage, build_tiny_model):
    torch.manual_seed(0)
    model = build_tiny_model(stage=stage)
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    # An optimizer over every parameter, with momentum and weight decay.
    optimizer = torch.optim.SGD(
        model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    for _ in range(2):
        optimizer.zero_grad()
        loss = model(torch.randn(4, 1, 3, 16, 32, 32), samples([0, 1, 2, 3]),
                     mode='loss')['loss_cls']
        loss.backward()
        optimizer.step()
    for name in clip_parameters(model):
        assert torch.equal(before[name], model.state_dict()[name]), name
    groups = model.parameter_groups()
    moved = {
        name: any(not torch.equal(before[n], p.detach())
                  for n, p in model.named_parameters()
                  if any(p is q for q in groups[name]))
        for name in ('prompts', 'text_encoder', 'video_encoder')
    }
    expected = {1: (True, True, False), 2: (False, False, True),
                3: (True, True, True)}[stage]
    assert tuple(moved.values()) == expected


@pytest.mark.parametrize('stage,encodings', [(1, 3), (2, 1), (3, 3)])
def test_text_side_encoded_once_in_stage_2(stage, encodings,
                                           build_tiny_model):
    """In stage 2 only the video side trains, so the class embeddings are
    computed once for all steps, although JAS holds trainable parameters.
    """
    model = build_tiny_model(stage=stage)
    calls = []
    original = model.cls_head.sentence_embeddings
    model.cls_head.sentence_embeddings = lambda: calls.append(1) or original()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(3):
        optimizer.zero_grad()
        model(torch.randn(2, 1, 3, 16, 32, 32), samples([0, 1]),
              mode='loss')['loss_cls'].backward()
        optimizer.step()
    assert len(calls) == encodings


@pytest.mark.parametrize('stage,invariant', [(1, True), (2, False),
                                             (3, False)])
def test_frame_order(stage, invariant, build_tiny_model):
    torch.manual_seed(0)
    model = build_tiny_model(stage=stage).eval()
    with torch.no_grad():  # a trained time embedding, not the tiny init
        model.neck.time_embed.normal_()
    inputs = torch.randn(2, 1, 3, 16, 32, 32)
    shuffled = inputs[:, :, :, torch.randperm(16)]
    with torch.no_grad():
        logits = model(inputs, mode='tensor', stage='head')
        logits_shuffled = model(shuffled, mode='tensor', stage='head')
    assert torch.allclose(logits, logits_shuffled, atol=1e-4) == invariant


def test_stage_validation(build_tiny_model):
    model = build_tiny_model()
    with pytest.raises(ValueError, match='unknown parameter groups'):
        model.set_stage(dict(train=['prompt'], video_path='mean'))
    with pytest.raises(ValueError, match=r'no stage 4'):
        model.set_stage(4)
    # A stage table is checked when the model is built.
    with pytest.raises(ValueError, match=r"got 'encodr' in stage 2"):
        build_tiny_model(stages={
            '1': dict(train=['prompts'], video_path='mean'),
            '2': dict(train=['video_encoder'], video_path='encodr')
        })
    spec = dict(train=['video_encoder'], video_path='encoder')
    model.set_stage(spec)
    assert model.current_stage == spec
    trainable = [p for p in model.parameters() if p.requires_grad]
    assert trainable and all(
        any(p is q for q in model.neck.video_encoder.parameters())
        for p in trainable)


def dynamic_clips(num, generator, frames=16, width=64):
    """Frame embeddings in which a feature rises (label 0), and the same
    frames played backwards, where it falls (label 1)."""
    direction = torch.randn(width, generator=torch.Generator().manual_seed(5))
    base = torch.randn(num, 1, width, generator=generator)
    jitter = torch.randn(num, frames, width, generator=generator) * 0.3
    ramp = torch.linspace(-0.5, 0.5, frames)[None, :, None] * direction
    rising = base + jitter + ramp
    clips = torch.cat([rising, rising.flip(1)])
    labels = torch.tensor([0] * num + [1] * num)
    return clips[:, None], labels


def train_and_evaluate(model, train, test, steps=100, batch=32):
    """SGD with BAP's defaults: momentum 0.9, weight decay 1e-4, learning
    rate 1e-3 for MAT and 1e-2 for the rest."""
    generator = torch.Generator().manual_seed(1)
    prompts = [model.cls_head.prompts]
    others = [
        p for p in model.parameters()
        if p.requires_grad and p is not model.cls_head.prompts
    ]
    optimizer = torch.optim.SGD([
        dict(params=prompts, lr=1e-3),
        dict(params=others, lr=1e-2)
    ], momentum=0.9, weight_decay=1e-4)
    inputs, labels = train
    for _ in range(steps):
        index = torch.randint(0, len(labels), (batch, ), generator=generator)
        loss = model(inputs[index], samples(labels[index].tolist()),
                     mode='loss')['loss_cls']
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        scores = model(test[0], mode='tensor', stage='head')
    model.train()
    return (scores.argmax(1) == test[1]).float().mean().item()


@pytest.mark.integration
def test_learns_dynamics(build_tiny_model):
    """The stage-3 model tells a rising feature from a falling one; the
    temporal mean (stage 1) cannot, since both clips have the same frames.
    The frozen CLIP tower is skipped: the model takes frame embeddings."""
    generator = torch.Generator().manual_seed(0)
    train = dynamic_clips(128, generator)
    test = dynamic_clips(64, generator)
    accuracy = {}
    for stage in (1, 3):
        torch.manual_seed(0)
        model = build_tiny_model(
            stage=stage,
            cls_head=dict(num_classes=2, num_tokens=8),
            data_preprocessor=None)
        accuracy[stage] = train_and_evaluate(model, train, test)
    assert accuracy[3] >= 0.9
    assert abs(accuracy[1] - 0.5) <= 0.1


@pytest.mark.integration
@pytest.mark.parametrize('arch,width,dim', [('ViT-B-32', 512, 512),
                                            ('ViT-B-16', 512, 512),
                                            ('ViT-L-14', 768, 768)])
def test_real_size_parameter_table(arch, width, dim, mmengine_log):
    from mmaction.registry import MODELS

    from a3lign_mmaction.models.recognizers import parameter_table
    from a3lign_mmaction.testing import load_config
    from a3lign_mmaction.utils import format_table
    cfg = load_config('_base_/models/a3lign.py').model
    cfg.clip.arch = arch
    model = MODELS.build(cfg)
    rows = {row['module']: row for row in parameter_table(model)}
    encoder = 12 * dim * dim + 16 * dim  # attention, MLP, norms, CLS token
    stages = ('stage 1', 'stage 2', 'stage 3')

    def states(row):
        return tuple(row[stage] for stage in stages)

    assert rows['prompts']['parameters'] == 7 * 16 * 64 * width
    assert states(rows['prompts']) == ('train', 'frozen', 'train')
    assert rows['text_encoder']['parameters'] == encoder
    assert states(rows['text_encoder']) == ('train', 'frozen', 'train')
    assert rows['video_encoder']['parameters'] == encoder
    assert states(rows['video_encoder']) == ('frozen', 'train', 'train')
    assert rows['time_embed']['parameters'] == 16 * dim
    visual = sum(p.numel() for p in model.backbone.visual.parameters())
    assert rows['backbone (fixed)']['parameters'] == visual
    assert states(rows['backbone (fixed)']) == ('frozen', ) * 3
    assert rows['total']['parameters'] == sum(
        p.numel() for p in model.parameters())
    # The log shows the same table.
    assert format_table(parameter_table(model)) in mmengine_log.text


def trained(model):
    """The model after a change to every trainable parameter."""
    with torch.no_grad():
        for param in model.parameters():
            if param.requires_grad:
                param.add_(torch.randn_like(param))
    return model


def test_checkpoint_leaves_out_frozen_clip(clip_file, build_tiny_model):
    path = clip_file()
    model = trained(
        build_tiny_model(
            clip=dict(checkpoint=path),
            backbone=dict(trainable_blocks=1)))
    state = model.state_dict()
    kept = {k for k in state if k.startswith('backbone.visual.')}
    assert kept == {
        'backbone.visual.' + n
        for n, p in model.backbone.visual.named_parameters()
        if p.requires_grad
    } and kept
    assert not any('.text_tower.' in k for k in state)
    full = build_tiny_model(
        clip=dict(checkpoint=path),
        backbone=dict(trainable_blocks=1),
        save_frozen_clip=True).state_dict()
    assert set(state) - kept == {'clip_fingerprint'} | {
        k for k in full
        if not k.startswith(('backbone.visual.', 'cls_head.text_tower.'))
    }

    # A new model from the same CLIP file loads it, strictly, and scores
    # as the saved one.
    restored = build_tiny_model(
        clip=dict(checkpoint=path), backbone=dict(trainable_blocks=1))
    restored.load_state_dict(state)
    inputs = torch.randn(2, 1, 3, 16, 32, 32)
    with torch.no_grad():
        torch.testing.assert_close(
            restored.eval()(inputs, mode='tensor'),
            model.eval()(inputs, mode='tensor'))

    # Other CLIP weights are refused.
    other = build_tiny_model(
        clip=dict(checkpoint=clip_file(seed=1)),
        backbone=dict(trainable_blocks=1))
    with pytest.raises(ValueError, match='other CLIP weights'):
        other.load_state_dict(state)


def test_checkpoint_loads_through_mmengine(clip_file, build_tiny_model,
                                           tmp_path, mmengine_log):
    from mmengine.runner import load_checkpoint
    path = clip_file()
    model = trained(build_tiny_model(clip=dict(checkpoint=path)))
    checkpoint = str(tmp_path / 'epoch_1.pth')
    torch.save(dict(state_dict=model.state_dict()), checkpoint)
    restored = build_tiny_model(clip=dict(checkpoint=path))
    load_checkpoint(restored, checkpoint, logger='current')
    assert 'missing keys' not in mmengine_log.text
    assert torch.equal(restored.cls_head.prompts, model.cls_head.prompts)


def test_random_clip_and_full_state_dicts(clip_file, build_tiny_model):
    # Random CLIP weights cannot be rebuilt, so they are saved.
    random_state = build_tiny_model().state_dict()
    assert 'clip_fingerprint' not in random_state
    assert any('.text_tower.' in k for k in random_state)
    path = clip_file()
    full = trained(
        build_tiny_model(clip=dict(checkpoint=path),
                         save_frozen_clip=True)).state_dict()
    assert 'clip_fingerprint' not in full

    def loads_every_tensor(model):
        model.load_state_dict(full)
        for key, value in model.state_dict(keep_vars=True).items():
            if key != 'clip_fingerprint':
                assert torch.equal(value, full[key]), key

    # A state dict with every weight loads into a model of the same CLIP
    # file that leaves CLIP out of its own, and into a random-init one,
    # whose CLIP it replaces.
    loads_every_tensor(build_tiny_model(clip=dict(checkpoint=path)))
    loads_every_tensor(build_tiny_model())
    # It does not replace CLIP weights loaded from another file, unless
    # asked to load what fits.
    other = dict(checkpoint=clip_file(seed=1))
    with pytest.raises(ValueError, match=r'carries CLIP weights \(\d+ of '
                       r'\d+ frozen tensors, e.g. backbone.visual.*\) other '
                       'than the ones the model loaded from '
                       'model.clip.checkpoint'):
        build_tiny_model(clip=other).load_state_dict(full)
    loads_every_tensor(build_tiny_model(clip=other, strict_loading=False))


def test_checkpoint_of_another_model_is_refused(build_tiny_model,
                                                tmp_path, mmengine_log):
    from mmengine.runner import load_checkpoint
    state = build_tiny_model().state_dict()
    checkpoint = str(tmp_path / 'epoch_1.pth')
    # Another number of classes: the prompts' shape differs.
    torch.save(dict(state_dict=state), checkpoint)
    model = build_tiny_model(cls_head=dict(num_classes=5))
    with pytest.raises(ValueError, match=r'does not fit this CLIPRecognizer'
                       r'.*\nShape mismatches \(\d\): cls_head.prompts: '
                       r'checkpoint \(7, '):
        load_checkpoint(model, checkpoint)
    # Keys of another model: named, with what the model lacks.
    torch.save(dict(state_dict={'backbone.conv1.weight': torch.ones(3)}),
               checkpoint)
    with pytest.raises(ValueError,
                       match=r'Missing keys \(\d+\): .*\nUnexpected keys '
                       r'\(1\): backbone.conv1.weight'):
        load_checkpoint(build_tiny_model(), checkpoint)
    # Loading what fits, on request, as MMEngine does.
    model = build_tiny_model(cls_head=dict(num_classes=5),
                             strict_loading=False)
    load_checkpoint(model, checkpoint, logger='current')
    assert 'unexpected key in source state_dict: backbone.conv1.weight' \
        in mmengine_log.text


def test_checkpoint_records_the_clip_activation(clip_file, build_tiny_model,
                                                mmengine_log):
    path = clip_file()
    state = trained(build_tiny_model(clip=dict(checkpoint=path))).state_dict()
    # Same weights, the other activation: refused, naming the fix.
    gelu = build_tiny_model(clip=dict(checkpoint=path, quick_gelu=False))
    with pytest.raises(ValueError, match='trained with CLIP running '
                       r'QuickGELU.*set model.clip.quick_gelu=True'):
        gelu.load_state_dict(state)
    quick = build_tiny_model(clip=dict(checkpoint=path))
    quick.load_state_dict(state)
    assert 'activation' not in mmengine_log.text


def test_mat_sentences_must_match_jas_frames(build_tiny_model):
    with pytest.raises(ValueError, match=r'num_sentences=8 .*JASNeck.*'
                       r'aligns 16: set model.cls_head.num_sentences=16'):
        build_tiny_model(cls_head=dict(num_sentences=8))


def test_stage_1_checkpoint_scores_through_the_mean(build_tiny_model):
    """The video path travels with the weights: a model built without a
    stage scores a stage-1 state dict as the stage-1 model did."""
    stage_1 = trained(build_tiny_model(stage=1)).eval()
    restored = build_tiny_model().eval()
    assert restored.neck.video_path == 'encoder'
    restored.load_state_dict(stage_1.state_dict())
    assert restored.neck.video_path == 'mean'
    inputs = torch.randn(2, 1, 3, 16, 32, 32)
    with torch.no_grad():
        torch.testing.assert_close(
            restored(inputs, mode='tensor'), stage_1(inputs, mode='tensor'))


def test_frame_size_must_fit_the_tower(build_tiny_model):
    model = build_tiny_model().eval()
    with pytest.raises(ValueError, match=r'frames of 48x48 px given to a '
                       r'CLIP tower built for 32x32.*image_size=48'):
        model(torch.randn(1, 1, 3, 16, 48, 48), mode='tensor')
    model = build_tiny_model(clip=dict(image_size=48)).eval()
    logits = model(torch.randn(1, 1, 3, 16, 48, 48), mode='tensor',
                   stage='head')
    assert logits.shape == (1, 7)


def test_forward_outputs_hold_tensors_only(build_tiny_model):
    """The head's text encoder is linked at build, not passed along with
    the features, so MMAction2's tools (get_flops.py, the inference APIs)
    see only tensors."""
    model = build_tiny_model().eval()
    with torch.no_grad():
        feats, kwargs = model.extract_feat(torch.randn(1, 1, 3, 16, 32, 32))
    assert isinstance(feats, torch.Tensor)
    # The neck's auxiliary losses (none) are all MMAction2 passes on.
    assert kwargs == dict(loss_aux={})
    assert model.cls_head.text_encoder is model.neck
