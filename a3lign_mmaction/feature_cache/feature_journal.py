import glob
import json
import os
import os.path as osp
import zlib
from typing import List, Tuple

import numpy as np

from .feature_store import FeatureStore

__all__ = ['FeatureJournal']

_FOLDER = 'journal'


class FeatureJournal:
    """The views one process of a distributed extraction has made, kept
    beside a :class:`FeatureStore` until they are merged into it.

    Processes of one extraction, on one node or several sharing the store's
    file system, never write the same file: each appends the views it makes
    to its own journal (``STORE/journal/NAME.bin`` for the embeddings,
    ``NAME.jsonl`` for each batch's keys, views and checksums, written
    after the batch's data is on disk), and one process merges every
    journal into the shards once all are done. A journal left by a killed
    process is merged by the next extraction; a batch it had not finished
    is left out, and so extracted again. A journal's first line records the
    store's :attr:`FeatureStore.identity`; a journal of a store made
    differently (e.g. one whose files were deleted and extracted again with
    another image tower) is refused at the merge, as is a damaged one.

    Args:
        store (FeatureStore): The store the views belong to; its layout
            (frames, width, dtype) is set already.
        name (str): The journal's name, unique among the processes that
            write at the same time (e.g. job id and rank).
    """

    def __init__(self, store: FeatureStore, name: str) -> None:
        self.store = store
        folder = osp.join(store.root, _FOLDER)
        os.makedirs(folder, exist_ok=True)
        self.stem = osp.join(folder, name)
        with open(f'{self.stem}.jsonl', 'x') as f:
            f.write(json.dumps(dict(store=store.identity)) + '\n')
            f.flush()
            os.fsync(f.fileno())

    def append(self, items: List[Tuple[str, int]],
               embeddings: np.ndarray) -> None:
        """Record a batch of views, as :meth:`FeatureStore.write` would
        store them (non-finite values are refused the same way).

        Args:
            items (list[tuple[str, int]]): ``(key, view)`` pairs.
            embeddings (np.ndarray): ``(len(items), frames, dim)``.
        """
        stored = self.store.as_stored(items, embeddings)
        with open(f'{self.stem}.bin', 'ab') as f:
            offset = f.tell()
            f.write(stored.tobytes())
            f.flush()
            os.fsync(f.fileno())
        size = stored[0].nbytes if len(stored) else 0
        record = [[key, view, offset + i * size,
                   zlib.crc32(clip.tobytes())]
                  for i, ((key, view), clip) in enumerate(zip(items, stored))]
        with open(f'{self.stem}.jsonl', 'a') as f:
            f.write(json.dumps(record) + '\n')
            f.flush()
            os.fsync(f.fileno())

    @staticmethod
    def merge(store: FeatureStore) -> int:
        """Write the views of every journal of ``store`` into its shards,
        then remove the journals. Only one process may call it at a time
        (the one that holds the store's lock).

        Args:
            store (FeatureStore): The store.

        Returns:
            int: The views merged. The journal folder is removed when
            empty, so a merged store holds the files a single process
            writes.
        """
        folder = osp.join(store.root, _FOLDER)
        merged = 0
        stems = sorted({
            osp.splitext(path)[0]
            for path in glob.glob(osp.join(folder, '*.bin')) +
            glob.glob(osp.join(folder, '*.jsonl'))
        })
        for stem in stems:
            if osp.exists(f'{stem}.jsonl'):
                merged += FeatureJournal._merge_one(store, stem)
            for path in (f'{stem}.jsonl', f'{stem}.bin'):
                if osp.exists(path):
                    os.remove(path)
        if osp.isdir(folder) and not os.listdir(folder):
            os.rmdir(folder)
        return merged

    @staticmethod
    def _merge_one(store: FeatureStore, stem: str) -> int:
        with open(f'{stem}.jsonl', 'rb') as f:
            lines = f.read().split(b'\n')
        # The last line is empty, or was cut short by a killed process.
        lines = lines[:-1]
        if not lines:
            return 0
        try:
            header = json.loads(lines[0])
            records = [json.loads(line) for line in lines[1:]]
        except ValueError as error:
            raise _damaged(stem, f'a line is not JSON ({error})')
        if not isinstance(header, dict) or header.get('store') != \
                store.identity:
            raise ValueError(
                f'{stem}.jsonl holds views made for another feature store '
                f'than {store.root} (another image tower, pipeline or '
                'layout), e.g. by an extraction killed before the store was '
                f'made again; remove {osp.dirname(stem)} and extract again.')
        if not records:
            return 0
        shape = (store.meta['frames'], store.meta['dim'])
        size = int(np.prod(shape))
        if not osp.exists(f'{stem}.bin') or not osp.getsize(f'{stem}.bin'):
            raise _damaged(stem, f'{stem}.bin is missing or empty')
        # Mapped, not read: a rank's journal can hold gigabytes.
        data = np.memmap(f'{stem}.bin', np.dtype(store.meta['dtype']), 'r')
        merged = 0
        for number, record in enumerate(records, 2):
            try:
                entries = [(str(key), int(view), int(offset), int(crc))
                           for key, view, offset, crc in record]
            except (TypeError, ValueError) as error:
                raise _damaged(stem, f'line {number} is malformed ({error})')
            views = []
            for key, view, offset, crc in entries:
                if key not in store or not 0 <= view < store.num_views:
                    raise _damaged(stem, f'line {number} names view {view} '
                                   f'of clip {key!r}, which the store does '
                                   'not hold')
                start = offset // data.itemsize
                clip = data[start:start + size]
                if clip.size != size or zlib.crc32(clip.tobytes()) != crc:
                    raise _damaged(stem, f'{stem}.bin does not match its '
                                   f'checksums (line {number})')
                views.append(clip.reshape(shape))
            store.write([(key, view) for key, view, _, _ in entries],
                        np.stack(views))
            merged += len(entries)
        return merged


def _damaged(stem: str, what: str) -> ValueError:
    return ValueError(f'{what}: the journal {stem}.jsonl / .bin is damaged; '
                      'remove both files and extract again.')
