"""One-off: write assets/digits8x8.npz from scikit-learn's bundled copy of the UCI digits.

    pip install scikit-learn        # only for this script; never a run-time or test dependency
    python scripts/make_digits.py

The data is the UCI "Optical Recognition of Handwritten Digits" set (E. Alpaydin and
C. Kaynak, 1998; CC BY 4.0) as scikit-learn ships it: 1 797 images of 8x8 pixels, each pixel
the count of "on" pixels in a 4x4 block of a 32x32 bitmap (0..16).

The file holds (np.load(..., allow_pickle=False) reads it):
    images  (1797, 8, 8) uint8, 0..16     labels  (1797,) uint8, 0..9
    train   (1437,) int16 indices          test    (360,) int16 indices
    meta    JSON string: source, licence, authors, split seed
The split is stratified (each digit keeps its share in both parts) and seeded, so it is the
same on every machine; the indices are stored, so the app never re-splits.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

SEED = 0  # seeds the stratified train/test split
N_TEST = 360  # test images (the other 1 437 train)
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "assets" / "digits8x8.npz"
LICENSE = ROOT / "assets" / "DIGITS_LICENSE.txt"

ATTRIBUTION = {
    "name": "Optical Recognition of Handwritten Digits",
    "source": "UCI Machine Learning Repository, https://archive.ics.uci.edu/dataset/80 (DOI 10.24432/C50P49)",
    "authors": "E. Alpaydin and C. Kaynak",
    "year": 1998,
    "license": "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)",
    "copy": "the 1 797-image copy bundled with scikit-learn (sklearn.datasets.load_digits)",
    "changes": "stored as uint8; a seeded stratified 1437/360 train/test split added",
}


def stratified_split(labels: np.ndarray, n_test: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices (train, test): each class gives round(n_test * share) test images (largest
    remainders fill the last few), chosen by a seeded shuffle within the class."""
    rng = np.random.default_rng(seed)
    classes, counts = np.unique(labels, return_counts=True)
    exact = n_test * counts / counts.sum()
    take = np.floor(exact).astype(int)
    take[np.argsort(exact - take)[::-1][: n_test - take.sum()]] += 1
    test = np.concatenate([rng.permutation(np.flatnonzero(labels == c))[:k] for c, k in zip(classes, take)])
    test = np.sort(test)
    train = np.setdiff1d(np.arange(labels.size), test)
    return train.astype(np.int16), test.astype(np.int16)


def main() -> None:
    from sklearn.datasets import load_digits

    d = load_digits()
    images = d.images.astype(np.uint8)
    assert np.array_equal(images, d.images), "pixels are whole numbers 0..16"
    labels = d.target.astype(np.uint8)
    train, test = stratified_split(labels, N_TEST, SEED)
    meta = {**ATTRIBUTION, "split_seed": SEED, "n_train": int(train.size), "n_test": int(test.size)}
    np.savez_compressed(OUT, images=images, labels=labels, train=train, test=test, meta=np.array(json.dumps(meta)))
    LICENSE.write_text(
        f"assets/digits8x8.npz\n\n"
        f"Dataset: {ATTRIBUTION['name']}\n"
        f"Authors: {ATTRIBUTION['authors']} ({ATTRIBUTION['year']})\n"
        f"Source:  {ATTRIBUTION['source']}\n"
        f"Licence: {ATTRIBUTION['license']}\n"
        f"Copy:    {ATTRIBUTION['copy']}\n"
        f"Changes: {ATTRIBUTION['changes']} (scripts/make_digits.py, seed {SEED}).\n"
    )
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size} bytes): {train.size} train / {test.size} test")


if __name__ == "__main__":
    main()
