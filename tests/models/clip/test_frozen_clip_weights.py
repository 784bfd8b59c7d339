import torch

from a3lign_mmaction.models.clip import FrozenCLIPWeights


def test_finds_the_frozen_tensors_of_the_towers(build_tiny_model):
    model = build_tiny_model(backbone=dict(trainable_blocks=1))
    frozen = model.frozen_clip
    assert frozen.towers == ['backbone.visual', 'cls_head.text_tower']
    assert frozen.keys and all(
        key.startswith(('backbone.visual.', 'cls_head.text_tower.'))
        for key in frozen.keys)
    # The fine-tuned block trains, so it is not among them.
    trained = {n for n, p in model.named_parameters() if p.requires_grad}
    assert not trained & set(frozen.keys)
    assert any(n.startswith('backbone.visual.') for n in trained)


def test_fingerprint_follows_weights_and_activations(build_tiny_model):
    model = build_tiny_model()
    frozen = FrozenCLIPWeights.of(model, ['cls_head.text_tower'])
    tensors = {k: v.clone() for k, v in model.state_dict().items()}
    activations = frozen.activations(model)
    assert activations == (True, )  # the tiny CLIP runs QuickGELU
    first = frozen.fingerprint(tensors, activations)
    assert first.dtype == torch.uint8 and first.shape == (32, )
    assert torch.equal(first, frozen.fingerprint(tensors, activations))
    assert not torch.equal(first, frozen.fingerprint(tensors, (False, )))
    tensors[frozen.keys[0]] += 1
    assert not torch.equal(first, frozen.fingerprint(tensors, activations))
