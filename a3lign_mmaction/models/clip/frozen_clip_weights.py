import functools
import hashlib
from typing import Dict, Iterable, Sequence, Tuple

import torch
import torch.nn as nn

from .build import uses_quick_gelu

__all__ = ['FrozenCLIPWeights']

StateDict = Dict[str, torch.Tensor]


class FrozenCLIPWeights:
    """A model's frozen CLIP weights, kept out of its checkpoints.

    :meth:`attach` makes the model's state dict leave out the tensors of
    its CLIP towers that never train and hold ``clip_fingerprint`` in their
    place: a SHA-256 of the towers' activations and of those tensors'
    names, shapes and first values. Loading such a state dict fills them
    in from the model's own CLIP, after checking the fingerprint: weights
    or an activation other than the ones the checkpoint was trained with
    are refused with the setting to change. A state dict with the CLIP
    weights loads as usual, unless the model keeps its own (see
    :meth:`attach`).

    Args:
        towers (sequence[str]): Names of the model's CLIP towers (the
            modules whose tensors are CLIP's), in a fixed order.
        keys (iterable[str]): State dict keys of the frozen CLIP tensors.
    """

    FINGERPRINT = 'clip_fingerprint'

    def __init__(self, towers: Sequence[str], keys: Iterable[str]) -> None:
        self.towers = list(towers)
        self.keys = sorted(keys)
        self.keep_own = False

    @classmethod
    def of(cls,
           model: nn.Module,
           towers: Sequence[str],
           trainable: Iterable[nn.Parameter] = ()) -> 'FrozenCLIPWeights':
        """The frozen CLIP tensors of ``model``: every persistent tensor of
        the ``towers`` but the ``trainable`` parameters."""
        prefixes = tuple(tower + '.' for tower in towers)
        trainable_ids = {id(p) for p in trainable}
        trained = {
            name
            for name, param in model.named_parameters()
            if id(param) in trainable_ids
        }
        return cls(towers, (key for key in model.state_dict()
                            if key.startswith(prefixes)
                            and key not in trained))

    def attach(self,
               model: nn.Module,
               leave_out: bool = True,
               keep_own: bool = False) -> None:
        """Register the state dict hooks on ``model``.

        Args:
            model (nn.Module): The model.
            leave_out (bool): Leave the frozen CLIP tensors out of the
                state dict. Defaults to True.
            keep_own (bool): Refuse a state dict whose frozen CLIP tensors
                differ from the model's, instead of loading them: for a
                model whose CLIP comes from a weight file, which a
                checkpoint of another CLIP (e.g. a random-init one) must
                not silently replace. Defaults to False.
        """
        self.keep_own = keep_own
        # partial: torch marks a hook registered through its public API with
        # an attribute, which a bound method cannot take.
        if leave_out:
            model.register_state_dict_post_hook(
                functools.partial(self._leave_out))
        model.register_load_state_dict_pre_hook(
            functools.partial(self._fill_in))

    def activations(self, model: nn.Module) -> Tuple[bool, ...]:
        """Whether each CLIP tower of ``model`` runs QuickGELU."""
        return tuple(
            uses_quick_gelu(model.get_submodule(tower))
            for tower in self.towers)

    def fingerprint(self, tensors: Dict[str, torch.Tensor],
                    activations: Tuple[bool, ...]) -> torch.Tensor:
        """SHA-256 of the towers' activations and the frozen tensors'
        names, shapes and first values (at fp16 precision), as 32 uint8."""
        digest = hashlib.sha256(f'quick_gelu={activations}'.encode())
        for key in self.keys:
            tensor = tensors[key].detach()
            digest.update(f'{key}{tuple(tensor.shape)}'.encode())
            digest.update(
                tensor.flatten()[:64].half().cpu().numpy().tobytes())
        return torch.frombuffer(bytearray(digest.digest()), dtype=torch.uint8)

    def _leave_out(self, module: nn.Module, state_dict: StateDict,
                   prefix: str, local_metadata: dict) -> None:
        """State dict post-hook: frozen CLIP weights out, fingerprint in."""
        tensors = {key: state_dict.pop(prefix + key) for key in self.keys}
        state_dict[prefix + self.FINGERPRINT] = self.fingerprint(
            tensors, self.activations(module))

    def _fill_in(self, module: nn.Module, state_dict: StateDict, prefix: str,
                 *args) -> None:
        """Load pre-hook: a state dict without CLIP weights gets the
        model's own, if they are the ones it was trained with."""
        tensors = {
            **dict(module.named_parameters()),
            **dict(module.named_buffers())
        }
        fingerprint = state_dict.pop(prefix + self.FINGERPRINT, None)
        if fingerprint is None:
            if self.keep_own:
                self._check_same(tensors, state_dict, prefix)
            return
        activations = self.activations(module)

        def matches(activations: Tuple[bool, ...]) -> bool:
            return torch.equal(fingerprint.cpu(),
                               self.fingerprint(tensors, activations))

        if not matches(activations):
            ours = 'QuickGELU' if any(activations) else 'GELU'
            if matches(tuple(not a for a in activations)):
                theirs = 'GELU' if any(activations) else 'QuickGELU'
                raise ValueError(
                    f'This checkpoint was trained with CLIP running {theirs}'
                    f', but the model\'s CLIP runs {ours} (the CLIP weights '
                    'are the same): set '
                    f'model.clip.quick_gelu={not any(activations)}.')
            raise ValueError(
                'This checkpoint was trained with other CLIP weights than '
                'the model has: set model.clip.checkpoint to the CLIP '
                'weight file it was trained with.')
        for key in self.keys:
            state_dict.setdefault(prefix + key, tensors[key])

    def _check_same(self, tensors: Dict[str, torch.Tensor],
                    state_dict: StateDict, prefix: str) -> None:
        """Refuse frozen CLIP tensors in ``state_dict`` other than the
        model's."""
        differ = [
            key for key in self.keys if prefix + key in state_dict
            and not torch.equal(state_dict[prefix + key].cpu(),
                                tensors[key].detach().cpu())
        ]
        if differ:
            raise ValueError(
                f'This checkpoint carries CLIP weights ({len(differ)} of '
                f'{len(self.keys)} frozen tensors, e.g. {differ[0]}) other '
                'than the ones the model loaded from model.clip.checkpoint; '
                'it was trained with another CLIP (a random-init one if it '
                'was trained without a weight file). Set '
                'model.clip.checkpoint to the weights it was trained with, '
                'or to None to use the checkpoint\'s own.')
