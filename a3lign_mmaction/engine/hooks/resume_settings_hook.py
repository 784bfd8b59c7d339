import logging
from typing import Dict, List, Sequence

from mmaction.registry import HOOKS
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.logging import print_log

__all__ = ['ResumeSettingsHook']


def _flatten(value, prefix: str = '') -> Dict[str, object]:
    """``{'a.b.0': leaf}`` for the leaves of nested dicts and lists."""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, (list, tuple)):
        items = enumerate(value)
    else:
        return {prefix: value}
    flat: Dict[str, object] = {}
    for key, item in items:
        flat.update(_flatten(item, f'{prefix}.{key}' if prefix else str(key)))
    return flat


@HOOKS.register_module()
class ResumeSettingsHook(Hook):
    """Say which settings of a resumed run keep the checkpoint's values.

    On ``--resume`` MMEngine restores the optimizer's state, learning rates
    and momentum included, and the learning-rate schedulers' state from
    the checkpoint, so a config edited before the resume (another
    ``optim_wrapper.optimizer.lr``, another schedule) has no effect on
    them, without a word. This hook compares those settings with the ones
    the checkpoint's run was started with (the config MMEngine saves in
    every checkpoint) and, where they differ, logs a warning naming each
    setting with both values, or stops the run (``strict=True``).

    Args:
        keys (sequence[str]): The config entries compared. Defaults to the
            optimizer's and the schedulers'.
        strict (bool): Refuse the resume instead of warning. Defaults to
            False.
    """

    priority = 'VERY_LOW'

    def __init__(self,
                 keys: Sequence[str] = ('optim_wrapper.optimizer',
                                        'param_scheduler'),
                 strict: bool = False) -> None:
        self.keys = tuple(keys)
        self.strict = strict

    def differences(self, saved: Config, current: Config) -> List[str]:
        """``'key: A in the checkpoint's run, B now'`` for every leaf of
        :attr:`keys` that differs."""
        found = []
        for key in self.keys:
            before = _flatten(_lookup(saved, key), key)
            after = _flatten(_lookup(current, key), key)
            for leaf in sorted(set(before) | set(after)):
                if before.get(leaf) != after.get(leaf):
                    found.append(f'{leaf}: {before.get(leaf)!r} in the '
                                 f"checkpoint's run, {after.get(leaf)!r} now")
        return found

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Compare the settings when a run resumes."""
        text = checkpoint.get('meta', {}).get('cfg')
        if not runner.cfg.get('resume') or not text:
            return
        found = self.differences(
            Config.fromstring(text, file_format='.py'), runner.cfg)
        if not found:
            return
        message = (
            'The resumed run keeps the optimizer and learning-rate schedule '
            "of its checkpoint (MMEngine restores their state), so these "
            'edits of the config have no effect: ' + '; '.join(found) +
            '. To train with them, start a new run from the weights '
            '(--cfg-options load_from=CHECKPOINT, without --resume).')
        if self.strict:
            raise ValueError(message)
        print_log(message, logger='current', level=logging.WARNING)


def _lookup(cfg: Config, key: str):
    value = cfg
    for part in key.split('.'):
        value = value.get(part) if hasattr(value, 'get') else None
    return value
