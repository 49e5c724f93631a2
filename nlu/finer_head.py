"""Who is writing, read by the encoder where no cue tells (issue 17).

The cues of nlu/age.py are precise but narrow: on each stranger's set they were blind to, they
found 0.65–0.81 of the young people and parents, and parents describe what happened ("закрыла
их в комнате и вышла на балкон", "мәселе менің ашуымда, балаларға қатысты") in words no cue had.
The sentence encoder of the second opinion (nlu/second_opinion.py) reads the meaning; a
multinomial logistic regression on its vector, trained on the strangers' development sets,
says young person, parent or neither.

It is consulted only where the cues saw nothing at all: a message with a cue of any kind (a
stated age, a partner, "в детстве", a teacher writing) keeps what the cues say, so that an adult
who writes about her husband or her pupil is never read again. Measured blind (docs/nlu.md, «Who
is writing, by age»), it took the finer role right from 0.77 to 0.92 of the young people and
parents while adding a handful of adults. A wrong guess costs little: the paths ask gently and an
adult says so in one tap (docs/young-people.md).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, cast

import numpy as np
import numpy.typing as npt

from nlu.result import Finer

log = logging.getLogger(__name__)

ARTEFACT = Path(__file__).parent / "model" / "finer_head.npz"
CUE = "encoder:finer"  # the name in `NluResult.age_cues` when the head decided
# Below it the head says nothing. Chosen on the development sets measured one by one, each
# blind to a head trained on the earlier ones (docs/nlu.md): 0.4 took more adults, 0.6 lost
# parents.
THRESHOLD = 0.5
NONE = "none"  # the class of everyone else
YOUNG = "young_person"
# A reading below the threshold whose young-person probability reaches this leans young: the
# first screen of the victim's and the witness's paths then offers «Мне меньше 18» (issue 17:
# "asks gently when unsure"). On the six strangers' sets, 4 of the 5 young people the head and
# the cues missed read 0.29–0.42; 49 of 429 adults (11 %) read at or above it (docs/nlu.md).
UNSURE = 0.25


class Reading(NamedTuple):
    """What the head read: the finer role (None below the threshold), its probability, and the
    young-person probability, which says whether an unread message leans young."""

    finer: Finer | None
    p: float
    young: float

    @property
    def leans_young(self) -> bool:
        return self.finer is None and self.young >= UNSURE


Floats = npt.NDArray[np.float32]


@dataclass(frozen=True)
class FinerHead:
    """Softmax over (young_person, parent, none): scikit-learn's LogisticRegression, exported."""

    w: Floats  # (dimensions, classes)
    b: Floats  # (classes,)
    classes: tuple[str, ...]
    threshold: float
    fingerprint: str  # of the texts and labels it was trained on
    examples: int

    def probabilities(self, x: Floats) -> dict[str, float]:
        z = x @ self.w + self.b
        e = np.exp(z - z.max())
        return dict(zip(self.classes, (e / e.sum()).tolist(), strict=True))

    def read(self, x: Floats) -> Reading:
        """The finer role the vector says, with its probability; None below the threshold."""
        probs = self.probabilities(x)
        best = max(probs, key=probs.__getitem__)
        young = probs.get(YOUNG, 0.0)
        if best == NONE or probs[best] < self.threshold:
            return Reading(None, probs[best], young)
        return Reading(cast(Finer, best), probs[best], young)

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            w=self.w.astype(np.float32),
            b=self.b.astype(np.float32),
            classes=np.array(self.classes),
            threshold=np.float32(self.threshold),
            fingerprint=np.array(self.fingerprint),
            examples=np.int64(self.examples),
        )

    @classmethod
    def load(cls, path: Path) -> FinerHead:
        with np.load(path, allow_pickle=False) as z:
            return cls(
                w=z["w"].astype(np.float32),
                b=z["b"].astype(np.float32),
                classes=tuple(str(c) for c in z["classes"]),
                threshold=float(z["threshold"]),
                fingerprint=str(z["fingerprint"]),
                examples=int(z["examples"]),
            )


def training_fingerprint(pairs: Iterable[tuple[str, str]]) -> str:
    """Of the (text, label) pairs a head was trained on: a changed set shows as a stale head."""
    h = hashlib.sha256()
    for text, label in pairs:
        h.update(f"{label}\t{text}\n".encode())
    return h.hexdigest()


def fit_head(
    vectors: Floats, labels: list[str], fingerprint: str, threshold: float = THRESHOLD
) -> FinerHead:
    """The head as measured (docs/nlu.md): C=30 (the encoder's vectors are unit length, so the
    default C=1 barely moves off the prior)."""
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=30, max_iter=5000).fit(vectors, labels)
    return FinerHead(
        w=clf.coef_.T.astype(np.float32),
        b=clf.intercept_.astype(np.float32),
        classes=tuple(str(c) for c in clf.classes_),
        threshold=threshold,
        fingerprint=fingerprint,
        examples=len(labels),
    )


class FinerReader:
    """Loads the head lazily and at most once; `read` is thread-safe and never raises.

    `vector` is the encoder's (SecondOpinion.vector): one encoder, one vector per message."""

    def __init__(self, vector: Callable[[str], Floats | None], artefact: Path = ARTEFACT) -> None:
        self.vector = vector
        self.artefact = artefact
        self._head: FinerHead | None = None
        self._state = "new"  # new → ready | off
        self._lock = threading.Lock()

    def _ready(self) -> bool:
        with self._lock:
            if self._state == "new":
                self._state = "off"
                try:
                    if not self.artefact.exists():
                        log.warning("no finer-role head at %s; cues alone", self.artefact)
                        return False
                    self._head = FinerHead.load(self.artefact)
                    self._state = "ready"
                except Exception:
                    log.exception("the finer-role head failed to load; cues alone")
                    return False
            return self._state == "ready"

    def read(self, text: str) -> Reading | None:
        """The head's finer role and its probability; None when the head or encoder is off."""
        if not text or not self._ready():
            return None
        v = self.vector(text)
        if v is None:
            return None
        assert self._head is not None
        try:
            return self._head.read(v)
        except Exception:
            log.exception("the finer-role head failed on a message of %d chars", len(text))
            return None
