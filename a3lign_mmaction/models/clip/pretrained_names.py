"""CLIP weights by name: open_clip's pretrained tags and Hugging Face Hub
models, downloaded once by open_clip into its cache."""
import os
import os.path as osp
from typing import Optional, Tuple, Union

from mmengine.logging import print_log

from .weight_files import file_sha256

__all__ = ['HF_HUB_PREFIX', 'download_clip_weights', 'is_clip_weights_name']

#: What names a Hugging Face Hub model, as in open_clip.
HF_HUB_PREFIX = 'hf-hub:'
#: The open_clip model config a Hugging Face Hub model ships beside its
#: weights.
_HF_CONFIG = 'open_clip_config.json'


def is_clip_weights_name(checkpoint: str, arch: Union[str, dict]) -> bool:
    """Whether ``checkpoint`` names weights to download rather than a local
    file: ``hf-hub:ORG/NAME``, or one of open_clip's pretrained tags of
    ``arch`` (``openai``, ``laion2b_s34b_b88k``, ...) that is not a path
    on disk."""
    if checkpoint.startswith(HF_HUB_PREFIX):
        return True
    if not isinstance(arch, str) or osp.exists(osp.expanduser(checkpoint)):
        return False
    import open_clip
    return checkpoint in open_clip.list_pretrained_tags_by_model(arch)


def _cache_folder(hf_hub: bool) -> str:
    """Where open_clip keeps what it downloads."""
    if hf_hub:
        from huggingface_hub import constants
        return constants.HF_HUB_CACHE
    return osp.expanduser(osp.join('~', '.cache', 'clip'))


def _hub_copy(model_id: str, filename: str) -> Optional[str]:
    """A file of a Hub model in the Hugging Face cache, if it is there:
    the ``.safetensors`` twin first, as open_clip looks for it."""
    from huggingface_hub import try_to_load_from_cache
    stem, extension = osp.splitext(filename)
    twin = ('open_clip_model'
            if stem == 'open_clip_pytorch_model' else stem) + '.safetensors'
    for name in ([twin] if extension in ('.bin', '.pth') else []) + [filename]:
        found = try_to_load_from_cache(model_id, name)
        if isinstance(found, str):
            return found
    return None


def _check_hub_reachable() -> None:
    """Fail at once where the Hub cannot be reached, rather than after
    huggingface_hub's retries of every file (minutes)."""
    from huggingface_hub import constants, get_session
    get_session().head(constants.ENDPOINT, timeout=10)


def _download(name: str, arch: Union[str, dict], cfg: Optional[dict],
              hf_hub: bool) -> Tuple[str, Optional[Tuple[bool, str]]]:
    """:func:`download_clip_weights` of ``hf-hub:`` names (``cfg`` None)
    and of tags (``cfg`` their pretrained config)."""
    from open_clip import pretrained
    if cfg is None:
        model_id = name[len(HF_HUB_PREFIX):]
        path = _hub_copy(model_id, pretrained.HF_WEIGHTS_NAME)
        if path is None or _hub_copy(model_id, _HF_CONFIG) is None:
            _check_hub_reachable()
            pretrained.download_pretrained_from_hf(
                model_id, filename=_HF_CONFIG)
            path = pretrained.download_pretrained_from_hf(model_id)
        return path, None
    activation = (bool(cfg.get('quick_gelu', False)),
                  f"open_clip's pretrained config of {arch} {name}")
    if hf_hub:
        model_id, filename = osp.split(cfg['hf_hub'])
        path = _hub_copy(model_id, filename or pretrained.HF_WEIGHTS_NAME)
        if path is not None:
            return path, activation
        _check_hub_reachable()
    return pretrained.download_pretrained(cfg), activation


def download_clip_weights(
        name: str,
        arch: Union[str, dict]) -> Tuple[str, Optional[Tuple[bool, str]]]:
    """Download named CLIP weights through open_clip, or find them in its
    cache.

    A pretrained tag is fetched as open_clip fetches it (from the Hugging
    Face Hub where open_clip lists a copy there, else from its URL, with
    the SHA-256 the URL names checked); ``hf-hub:ORG/NAME`` fetches the
    model's weights and its ``open_clip_config.json``. Weights in the cache
    are used from there, with no network. ``HF_ENDPOINT`` names a Hub
    mirror, ``HF_HUB_CACHE`` (or ``HF_HOME``) another cache.

    Args:
        name (str): A pretrained tag of ``arch``, or ``hf-hub:ORG/NAME``.
        arch (str | dict): The CLIP architecture.

    Returns:
        tuple: The weight file, and the activation the name's pretrained
        config states (``(quick_gelu, source)``), or None where the file's
        own config beside it says it (``hf-hub:``).

    Raises:
        FileNotFoundError: If the weights are neither in the cache nor
            downloadable (offline); the one-line message names the
            weights, the cache folder and how to give a local file.
    """
    from open_clip import get_pretrained_cfg, pretrained
    cfg = None if name.startswith(HF_HUB_PREFIX) else get_pretrained_cfg(
        arch, name)
    # Where open_clip fetches it from: the Hub, or the tag's URL.
    hf_hub = cfg is None or bool(cfg.get('hf_hub') and pretrained.has_hf_hub())
    try:
        path, activation = _download(name, arch, cfg, hf_hub)
    except Exception as error:  # urllib, httpx, huggingface_hub, open_clip
        reason = (str(error).strip() or type(error).__name__).splitlines()
        raise FileNotFoundError(
            f'CLIP weights {name!r} of {arch} are not in open_clip\'s cache '
            f'({_cache_folder(hf_hub)}) and could not be downloaded '
            f'({reason[0]}). Run once with a network to download them, or '
            'give a local weight file: model.clip.checkpoint=/path/to/'
            'weights (or CLIP_CHECKPOINT); docs/clip_weights.md.') from error
    print_log(
        f'CLIP: {name} is {path} (SHA-256 {file_sha256(path)}), in '
        f'open_clip\'s cache {_cache_folder(hf_hub)}.',
        logger='current')
    return os.fspath(path), activation
