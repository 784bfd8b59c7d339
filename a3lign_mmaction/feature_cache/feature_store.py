import hashlib
import json
import os
import os.path as osp
import zlib
from typing import Dict, Iterable, List, Mapping, Optional, Tuple

import numpy as np

__all__ = ['FeatureStore']

_INDEX = 'index.json'


def _damaged(path: str, error: Exception) -> ValueError:
    return ValueError(
        f'{path} of a feature store is damaged or truncated '
        f'({type(error).__name__}: {error}); extract the store again into '
        'a new folder.')


def _load(path: str, mode: str) -> np.ndarray:
    """A store's array file, memory-mapped; a damaged one is named."""
    try:
        return np.load(path, mmap_mode=mode)
    except (ValueError, EOFError, OSError) as error:
        if isinstance(error, FileNotFoundError):
            raise
        raise _damaged(path, error) from error


class FeatureStore:
    """Per-frame embeddings of clips, in memory-mapped ``.npy`` shards.

    Each clip has ``views`` rows of ``frames x dim`` embeddings: view 0 is
    the test-time view, views 1..K are augmented training views. Clips are
    keyed by their frame folder relative to the dataset root, so the folds
    of a dataset (which split the same clips) share one store. Clips added
    later go to a new shard; ``index.json`` maps every key to its shard and
    row, and each shard has a ``done`` mask per clip and view, so that an
    interrupted extraction resumes where it stopped and a fold's extraction
    can leave out the views it does not use (the training views of its test
    clips and the other way round).

    Each written view has a CRC-32 (``shard_*.crc.npy``), checked with its
    values' finiteness on every read: a damaged view stops the reader with
    the clip and file named instead of training on it, and
    :meth:`verify` checks the whole store.

    Args:
        root (str): Folder of the store.
    """

    def __init__(self, root: str) -> None:
        self.root = root
        self.meta: Dict = {}
        self.clips: Dict[str, Tuple[int, int]] = {}
        path = osp.join(root, _INDEX)
        if osp.exists(path):
            try:
                with open(path) as f:
                    index = json.load(f)
                self.clips = {
                    k: tuple(v)
                    for k, v in index.pop('clips').items()
                }
            except (ValueError, KeyError, AttributeError) as error:
                raise _damaged(path, error) from error
            self.meta = index
        self._shards: Dict[int, Tuple[np.ndarray, ...]] = {}

    @property
    def identity(self) -> str:
        """SHA-256 of what the store records of how it was made: layout
        (views, frames, width, dtype) and provenance (the image tower's
        fingerprint, pipelines, seed). Views made for a store of another
        identity do not belong in this one."""
        return hashlib.sha256(
            json.dumps(self.meta, sort_keys=True).encode()).hexdigest()

    @property
    def num_views(self) -> int:
        """Views per clip: the test view and the training views."""
        return self.meta['views']

    def _stem(self, shard: int) -> str:
        return osp.join(self.root, f'shard_{shard:04d}')

    def _shard(self, shard: int,
               writable: bool = False) -> Tuple[np.ndarray, ...]:
        """A shard's embeddings, done marks and checksums."""
        if shard not in self._shards or (
                writable and not self._shards[shard][0].flags.writeable):
            self._shards[shard] = tuple(
                _load(f'{self._stem(shard)}{suffix}.npy',
                      'r+' if writable else 'r')
                for suffix in ('', '.done', '.crc'))
        return self._shards[shard]

    def __contains__(self, key: str) -> bool:
        return key in self.clips

    def __len__(self) -> int:
        return len(self.clips)

    def is_done(self, key: str, view: int) -> bool:
        """Whether a view of a clip has been written."""
        shard, row = self.clips[key]
        return bool(self._shard(shard)[1][row, view])

    def missing(
            self,
            needed: Mapping[str, Iterable[int]]) -> List[Tuple[str, int]]:
        """The ``(key, view)`` pairs of ``needed`` (key to views) that are
        not written yet."""
        return [(key, view) for key, views in needed.items()
                for view in views
                if key not in self.clips or not self.is_done(key, view)]

    def add(self,
            keys: Iterable[str],
            views: int,
            frames: int,
            dim: int,
            dtype: str = 'float16',
            info: Optional[dict] = None) -> None:
        """Make room for new clips (in a new shard).

        Args:
            keys (iterable[str]): Clip keys; those already present are
                skipped.
            views (int): Views per clip (1 test view + K training views).
            frames (int): Frames per view.
            dim (int): Embedding width.
            dtype (str): Storage dtype. Defaults to ``'float16'``.
            info (dict, optional): Provenance to record (architecture,
                weights, pipelines); must match what is recorded.
        """
        layout = dict(views=views, frames=frames, dim=dim, dtype=dtype,
                      **(info or {}))
        if self.meta and self.meta != layout:
            changed = sorted(k for k in set(layout) | set(self.meta)
                             if layout.get(k) != self.meta.get(k))
            raise ValueError(
                f'{self.root} holds embeddings made differently ('
                + '; '.join(f'{k}: {self.meta.get(k)!r} in the store, '
                            f'{layout.get(k)!r} now' for k in changed) +
                '); use another folder.')
        new = [k for k in dict.fromkeys(keys) if k not in self.clips]
        if not new:
            return
        os.makedirs(self.root, exist_ok=True)
        shard = 1 + max((s for s, _ in self.clips.values()), default=-1)
        stem = self._stem(shard)
        np.lib.format.open_memmap(
            f'{stem}.npy', 'w+', np.dtype(dtype),
            (len(new), views, frames, dim)).flush()
        self._allocate(f'{stem}.npy')
        np.save(f'{stem}.done.npy', np.zeros((len(new), views), bool))
        np.save(f'{stem}.crc.npy', np.zeros((len(new), views), np.uint32))
        self.meta = layout
        self.clips.update({k: (shard, row) for row, k in enumerate(new)})
        tmp = osp.join(self.root, _INDEX + '.tmp')
        with open(tmp, 'w') as f:
            json.dump(dict(self.meta, clips=self.clips), f)
        os.replace(tmp, osp.join(self.root, _INDEX))

    def _allocate(self, path: str) -> None:
        """Reserve a new shard's blocks on disk now: a shard is written
        through a memory map, and a write to a page the file system has no
        room for kills the process with SIGBUS, without a word."""
        size = osp.getsize(path)
        try:
            with open(path, 'r+b') as f:
                os.posix_fallocate(f.fileno(), 0, size)
        except OSError as error:
            os.remove(path)
            raise OSError(
                error.errno,
                f'{self.root}: no room on its disk for a new shard of '
                f'{size / 2**20:.1f} MiB ({error.strerror}); free space or '
                'extract into a folder on another disk') from error

    def write(self, items: List[Tuple[str, int]],
              embeddings: np.ndarray) -> None:
        """Store views of clips with their checksums and mark them done;
        the data reaches the disk before the marks do.

        Args:
            items (list[tuple[str, int]]): ``(key, view)`` pairs of clips
                added before with :meth:`add`.
            embeddings (np.ndarray): ``(len(items), frames, dim)``.

        Raises:
            ValueError: If a view holds a value that is not finite (in the
                storage dtype), naming the clip; nothing is written.
        """
        stored = self.as_stored(items, embeddings)
        places = [(*self.clips[key], view) for key, view in items]
        for (shard, row, view), clip in zip(places, stored):
            data, _, crc = self._shard(shard, writable=True)
            data[row, view] = clip
            crc[row, view] = zlib.crc32(clip.tobytes())
        touched = {shard for shard, _, _ in places}
        for shard in touched:
            self._shards[shard][0].flush()
            self._shards[shard][2].flush()
        for shard, row, view in places:
            self._shards[shard][1][row, view] = True
        for shard in touched:
            self._shards[shard][1].flush()

    def as_stored(self, items: List[Tuple[str, int]],
                  embeddings: np.ndarray) -> np.ndarray:
        """Views in the storage dtype, checked to be finite.

        Args:
            items (list[tuple[str, int]]): ``(key, view)`` pairs.
            embeddings (np.ndarray): ``(len(items), frames, dim)``.

        Raises:
            ValueError: If a view holds a value that is not finite in the
                storage dtype, naming the clip.
        """
        with np.errstate(over='ignore'):  # reported below
            stored = np.asarray(embeddings, dtype=self.meta['dtype'])
        for (key, view), clip in zip(items, stored):
            bad = np.size(clip) - np.isfinite(clip).sum()
            if bad:
                raise ValueError(
                    f'view {view} of clip {key!r} has {bad} non-finite '
                    f'embedding values (as {self.meta["dtype"]}); nothing of '
                    'this batch was written. A frame may be broken, or the '
                    'values overflow float16: try --dtype float32 or '
                    '--no-bf16.')
        return stored

    def forget(self, items: Iterable[Tuple[str, int]]) -> None:
        """Unmark views, so that the next extraction writes them again.

        Args:
            items (iterable[tuple[str, int]]): ``(key, view)`` pairs.
        """
        touched = set()
        for key, view in items:
            shard, row = self.clips[key]
            self._shard(shard, writable=True)[1][row, view] = False
            touched.add(shard)
        for shard in touched:
            self._shards[shard][1].flush()

    def _checked(self, key: str, view: int) -> Tuple[np.ndarray,
                                                     Optional[str]]:
        """A written view, and what is wrong with it (or None)."""
        shard, row = self.clips[key]
        data, _, crc = self._shard(shard)
        clip = np.array(data[row, view])
        if zlib.crc32(clip.tobytes()) != crc[row, view]:
            return clip, (f'does not match its checksum in '
                          f'{self._stem(shard)}.crc.npy: '
                          f'{self._stem(shard)}.npy is damaged')
        if not np.isfinite(clip).all():
            return clip, 'holds values that are not finite'
        return clip, None

    def verify(self) -> List[Tuple[str, int, str]]:
        """Check every written view against its checksum.

        Returns:
            list[tuple[str, int, str]]: ``(key, view, problem)`` of each
            damaged view.
        """
        damaged = []
        for key, (shard, row) in self.clips.items():
            for view in np.flatnonzero(self._shard(shard)[1][row]):
                problem = self._checked(key, int(view))[1]
                if problem is not None:
                    damaged.append((key, int(view), problem))
        return damaged

    def read(self, key: str, view: int) -> np.ndarray:
        """One view of a clip: ``(frames, dim)`` embeddings."""
        if key not in self.clips:
            raise KeyError(
                f'clip {key!r} is not in the feature store {self.root}; '
                'run tools/extract_features.py with this dataset first')
        if not self.is_done(key, view):
            raise KeyError(
                f'view {view} of clip {key!r} is not in the feature store '
                f'{self.root} (extracted for other folds, or interrupted); '
                'rerun tools/extract_features.py with this fold')
        clip, problem = self._checked(key, view)
        if problem is not None:
            raise ValueError(
                f'view {view} of clip {key!r} in the feature store '
                f'{self.root} {problem}. Find every damaged '
                'view with tools/extract_features.py CONFIG --store '
                f'{self.root} --verify, and extract them again with '
                '--repair.')
        return clip
