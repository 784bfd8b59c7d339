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
    is left out, and so extracted again.

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
        for data_file in sorted(glob.glob(osp.join(folder, '*.bin'))):
            stem = data_file[:-len('.bin')]
            if osp.exists(f'{stem}.jsonl'):
                merged += FeatureJournal._merge_one(store, stem)
                os.remove(f'{stem}.jsonl')
            os.remove(data_file)
        if osp.isdir(folder) and not os.listdir(folder):
            os.rmdir(folder)
        return merged

    @staticmethod
    def _merge_one(store: FeatureStore, stem: str) -> int:
        shape = (store.meta['frames'], store.meta['dim'])
        size = int(np.prod(shape))
        # Mapped, not read: a rank's journal can hold gigabytes. A journal
        # with a record has data, so the file is not empty.
        data = np.memmap(f'{stem}.bin', np.dtype(store.meta['dtype']), 'r')
        with open(f'{stem}.jsonl') as f:
            lines = f.read().split('\n')
        merged = 0
        for line in lines[:-1]:  # the last is empty, or was cut short
            record = json.loads(line)
            views = []
            for _, _, offset, crc in record:
                start = offset // data.itemsize
                clip = data[start:start + size]
                if zlib.crc32(clip.tobytes()) != crc:
                    raise ValueError(
                        f'{stem}.bin does not match its checksums in '
                        f'{stem}.jsonl: the journal is damaged; remove both '
                        'files and extract again.')
                views.append(clip.reshape(shape))
            store.write([(key, view) for key, view, _, _ in record],
                        np.stack(views))
            merged += len(record)
        return merged
