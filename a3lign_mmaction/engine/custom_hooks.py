"""Adding a hook to a config's ``custom_hooks``."""
from typing import List, Sequence

__all__ = ['add_custom_hook']


def add_custom_hook(custom_hooks: Sequence[dict], hook: dict) -> List[dict]:
    """``custom_hooks`` with ``hook`` added, in place of any hook of its
    type already there.

    Config helpers (:func:`bap_schedule`, ``embedding_recipe``) add their
    hook to the list a config inherits instead of owning the list, so the
    runtime's hooks stay wherever a helper is called again::

        train_cfg, param_scheduler, custom_hooks = bap_schedule(
            [10, 10, 30], _base_.custom_hooks)

    Args:
        custom_hooks (sequence[dict]): The inherited hooks.
        hook (dict): The hook config to add.

    Returns:
        list[dict]: A new list; ``custom_hooks`` is left as it is.
    """
    return [h for h in custom_hooks if h['type'] != hook['type']] + [hook]
