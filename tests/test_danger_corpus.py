"""The strangers' danger corpus end to end through the Telegram webhook (bench/danger.py).

Every urgent item must get 102 and 112 in its first reply and open a case; calm items that do
not ask for a human open (almost) none. The corpus (tests/nlu/danger_corpus10.jsonl) was written
by three authors who saw only the label contract and a brief, never the training data
(tests/nlu/danger_corpus_src/README.md).

Measured blind when it arrived (session 5): a case for 314 of 314 urgent messages, 6.8 % of
calm messages paged; the issue's targets are 0.995 and at most 0.05. Its misses were then read
and the rules tuned on them (a dream, a prison term, a series), so it is a development set now,
gated at the targets (today: 1.000 and 3.1 %): a change that makes it worse fails here. The
blind figures that decide issue 14 come from the next, unread corpus (docs/nlu.md).

Corpus 12 (session 6) was written with the calm side first: violence in the past told calmly,
"I'm safe now" after last night, fears about next month, questions about the law. Its first
measurement (the model of commit 63500ab): a case for 278 of 284 urgent messages, 10.3 % of calm
messages paged. Its misses were read and the rules extended (284 of 284, 8.9 %), then the
sentence-by-sentence max was dropped (6.8 %). It is gated on the urgent side at the target, and
on the calm side only against getting worse (≤ 0.08): it does not meet the issue's 5 %, and
the docs say so.

Corpus 11 was the blind test of session 6 (measured once with the final model, commit c01e4c2:
102/112 first for 302 of 302, a case for 299 (0.990, the rule asks 0.995), 3.5 % of calm
messages paged). Its three misses were then read; it is gated at the targets.

Corpus 13 was the blind test at the start of session 7 (the model of commit 9004cf4: a case for
301 of 302, 3.6 % paged, kk_nodiac NLU recall 0.974). Its misses were read; it is gated at the
targets too. So is corpus 14, blind later in session 7 (a case for 422 of 430, 8.2 % paged), then
read, and corpus 15 (blind at the end of session 7: a case for 417 of 429, 4.4 % paged; 427 of
429 once read: two messages need reasoning no rule should try, a Saturday's pattern and a
football score). Corpus 16 was blind at the start of session 8 (the model of commit 5c340d6: a
case for 419 of 435, 5.9 % paged), then read; so were corpus 17 (the model of 6659b40: 439 of
452, 7.5 % paged), corpus 18 (9a4241f's rules: 462 of 472, 4.3 % paged), corpus 19
(1c83646's rules: 442 of 449, 6.6 % paged; all 449 and 4.9 % once read) and corpus 20
(b3c4ab6's rules: 520 of 531, 4.7 % paged), corpus 21 (1cbd138's rules: 413 of 418, 5.9 %
paged), corpus 22 (579a815's rules: 418 of 428, 4.4 % paged) and corpus 23 (4293bf6's rules
and the second opinion: 438 of 441, 5.2 % paged) and corpus 24 (7f5dba9's rules and the
second opinion: 400 of 404, 3.6 % paged), corpus 25 (9ca2fe5's rules and the second opinion
of 50b97b3: 417 of 421, 6.8 % paged), corpus 26 (dc93e07's rules, the same second opinion:
440 of 443, 3.8 % paged), corpus 27 (0f07f95's rules: 449 of 456, 4.9 % paged), corpus 28
(8cee833's rules: 448 of 451, 7.1 % paged), corpus 29 (cacdd4a's rules: 463 of 465, 6.4 %
paged), corpus 30 (06f1786's rules: 453 of 456, 3.4 % paged), corpus 31 (8e3e364's rules:
448 of 451, 2.0 % paged) and corpus 32 (578523e's rules: 441 of 444, 3.2 % paged).

Corpus 33 (session 12, 893 items by three new authors, the model of 1d42f82's rules) is the
blind run that met every target of issue 14 at once: 102/112 first and a case for all 447
urgent messages, 4.3 % of calm messages paged, NLU recall 1.000 in every slice at precision
≥ 0.925. The tests of corpus 10 hold it to those targets, as the issue states them. The next blind
corpus is written by new authors and not gated here before it has been measured
(tests/nlu/danger_corpus_src/README.md). Corpus 34 (session 18, 828 items) was: a case for 403
of 404 urgent messages, 5.4 % of calm messages paged; its miss was read, and it joined the
read corpora below.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bench.danger import CORPUS, Item, load, run


def _corpus(n: int) -> Path:
    return CORPUS.with_name(f"danger_corpus{n}.jsonl")


CORPUS12 = _corpus(12)
# The blind run that met every target of issue 14 at once: held to them, like corpus 10.
CORPUS33 = _corpus(33)
READ_BLIND = (11, *range(13, 33), 34)  # measured blind, then read: gated at the urgent target

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("corpus", [CORPUS, CORPUS33], ids=["corpus10", "corpus33"])
def test_corpus_is_large_and_covers_the_hard_cases(corpus: Path) -> None:
    items = load(corpus)
    hard = [i for i in items if i.category not in ("ordinary", "calm_alarming")]
    calm_alarming = [i for i in items if i.category == "calm_alarming"]
    assert len(items) >= 800 and len(hard) >= 250 and len(calm_alarming) >= 150
    assert {i.slice for i in items} >= {"ru", "kk", "kk_nodiac", "kk_latin", "mixed", "translit"}


@pytest.mark.parametrize("corpus", [CORPUS, CORPUS33], ids=["corpus10", "corpus33"])
async def test_every_urgent_item_reaches_the_numbers_and_a_consultant(
    tmp_path: Path, corpus: Path
) -> None:
    report = await run(load(corpus), tmp_path)
    print(report.table())  # the figures, for the closing note (pytest -s)
    assert not report.unanswered()
    urgent = report.urgent()
    numbers = sum(o.numbers_first for o in urgent) / len(urgent)
    missed = [(o.item.text, o.first[:60], o.case) for o in report.misses()]
    assert numbers >= 0.995, missed  # 102 and 112 in the very first reply
    assert report.urgent_rate() >= 0.995, missed  # ...and a consultant called
    assert report.paged_rate() <= 0.05  # corpus 33: 0.043 when it was measured blind


async def test_the_calm_first_corpus_reaches_everyone_urgent(tmp_path: Path) -> None:
    report = await run(load(CORPUS12), tmp_path)
    print(report.table())
    assert not report.unanswered()
    missed = [(o.item.text, o.first[:60], o.case) for o in report.misses()]
    assert report.urgent_rate() >= 0.995, missed
    # 0.089 with the second opinion (session 10; 0.061 without it): the target (0.05) is not
    # met here (docs/nlu.md, "A second opinion on the possible tier")
    assert report.paged_rate() <= 0.10


# Each read-blind corpus in full takes about two minutes end to end on CI's two cores, all of
# them ~45 min: more than the rest of the suite. What they are read as is gated item by item,
# corpus by corpus, in tests/nlu/test_danger_quality.py (the same parse the turn makes), and
# corpora 10, 12 and 33 cross the webhook in full above. Here a fixed sample of every one of
# them crosses the webhook together, so each author's voices still meet the routing; the full
# runs are `python -m bench.danger tests/nlu/danger_corpusN.jsonl`.
SAMPLE_URGENT, SAMPLE_CALM = 24, 16


def _read_blind_sample() -> list[Item]:
    sample: list[Item] = []
    for n in READ_BLIND:
        items = load(_corpus(n))
        rng = random.Random(n)  # the same sample every run
        urgent = [i for i in items if i.urgent]
        calm = [i for i in items if not i.urgent and not i.asks_human]
        sample += rng.sample(urgent, SAMPLE_URGENT) + rng.sample(calm, SAMPLE_CALM)
    return sample


async def test_the_read_blind_corpora_meet_the_targets(tmp_path: Path) -> None:
    report = await run(_read_blind_sample(), tmp_path)
    print(report.table())
    assert len(report.urgent()) == SAMPLE_URGENT * len(READ_BLIND)
    assert not report.unanswered()
    missed = [(o.item.text, o.first[:60], o.case) for o in report.misses()]
    assert report.urgent_rate() >= 0.995, missed
    # 11, 13–22 with the second opinion (session 10): 0.044, 0.024, 0.047, 0.039, 0.052, 0.063,
    # 0.049, 0.060, 0.066, 0.040, 0.042. It lifts about seven in ten of a fresh corpus's
    # misses for ~1.5 points more calm pages (docs/nlu.md): the ≤ 0.05 target is not met on
    # four of them, and this gate holds today's level.
    assert report.paged_rate() <= 0.07
