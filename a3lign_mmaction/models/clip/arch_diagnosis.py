"""Telling a CLIP's architecture from its weight shapes, for the errors
that name what a weight file holds."""
from typing import Dict, List, Optional

import torch

__all__ = ['describe_clip_state_dict', 'guess_clip_arch']


def _layer_count(state_dict: Dict[str, torch.Tensor], prefix: str) -> int:
    return len({
        key[len(prefix):].split('.')[0]
        for key in state_dict if key.startswith(prefix)
    })


def describe_clip_state_dict(
        state_dict: Dict[str, torch.Tensor]) -> Optional[dict]:
    """Read the architecture of a ViT CLIP from its weight shapes.

    Args:
        state_dict (dict): Weights in OpenAI / open_clip naming.

    Returns:
        dict | None: An open_clip model config (``embed_dim``,
        ``vision_cfg``, ``text_cfg``), or None if the weights are not those
        of a ViT CLIP with open_clip's built-in text tower.
    """
    try:
        conv = state_dict['visual.conv1.weight']
        grid = state_dict['visual.positional_embedding'].shape[0] - 1
        text_width = state_dict['ln_final.weight'].shape[0]
        return dict(
            embed_dim=state_dict['text_projection'].shape[1],
            vision_cfg=dict(
                image_size=conv.shape[-1] * round(grid**0.5),
                layers=_layer_count(state_dict,
                                    'visual.transformer.resblocks.'),
                width=conv.shape[0],
                patch_size=conv.shape[-1]),
            text_cfg=dict(
                context_length=state_dict['positional_embedding'].shape[0],
                vocab_size=state_dict['token_embedding.weight'].shape[0],
                width=text_width,
                layers=_layer_count(state_dict, 'transformer.resblocks.')))
    except KeyError:
        return None


def _shape_signature(cfg: dict) -> tuple:
    vision, text = cfg['vision_cfg'], cfg['text_cfg']
    return (cfg['embed_dim'], vision.get('image_size'), vision.get('layers'),
            vision.get('width'), vision.get('patch_size'),
            text.get('context_length', 77), text.get('vocab_size', 49408),
            text.get('width'), text.get('layers'))


def guess_clip_arch(state_dict: Dict[str, torch.Tensor]) -> str:
    """Say which open_clip architecture weights seem to belong to.

    Args:
        state_dict (dict): Weights in OpenAI / open_clip naming.

    Returns:
        str: A sentence naming the matching open_clip architectures and the
        dimensions read from the weights.
    """
    import open_clip
    described = describe_clip_state_dict(state_dict)
    if described is None:
        return ('The file does not look like a ViT CLIP with open_clip\'s '
                'built-in text tower.')
    signature = _shape_signature(described)
    names: List[str] = []
    for name in open_clip.list_models():
        cfg = open_clip.get_model_config(name)
        base = name.replace('-quickgelu', '')
        if (cfg and 'vision_cfg' in cfg and 'text_cfg' in cfg
                and base not in names
                and isinstance(cfg['vision_cfg'].get('layers'), int)
                and _shape_signature(cfg) == signature):
            names.append(base)
    vision, text = described['vision_cfg'], described['text_cfg']
    dims = (f'embed dim {described["embed_dim"]}; image tower: '
            f'{vision["layers"]} layers, width {vision["width"]}, patch '
            f'{vision["patch_size"]}, image size {vision["image_size"]}; '
            f'text tower: {text["layers"]} layers, width {text["width"]}, '
            f'context length {text["context_length"]}')
    if names:
        return (f'The file seems to be a {" / ".join(names)} checkpoint '
                f'({dims}).')
    return (f'The file matches no open_clip architecture by name ({dims}); '
            'pass these numbers as an architecture dict.')
