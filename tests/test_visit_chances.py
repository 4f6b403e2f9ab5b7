"""Stage 1's observation chances: a center lists every observed lecturer's, a province only the few.

On a planted center (share 0.5, seed 9) the deputy director teaches almost every topic, so he had
more than MAX_CHANCE_SEGMENTS observable segments and no chance was listed for him; but only the
part-time director, free one half-day a week, can observe him. Stage 1 then put his visit in any
month and promised a visit peak that no staffing of its calendar reaches (2 where 3 was needed).
"""

from __future__ import annotations

import numpy as np
import pytest

from llct_sched.model.instance import CENTER_SIZED_PAIRS, MAX_CHANCE_SEGMENTS, Instance, _visit_chances, build_instance
from llct_sched.scenario.generate import generate_center


@pytest.fixture(scope="module")
def center() -> Instance:
    return build_instance(generate_center(0.5, 9)[0])


def _chances(inst: Instance, limit: int | None) -> tuple[dict[tuple[int, int], list[int]], set[int]]:
    avail = np.asarray(inst.lecturer_available, dtype=bool)
    return _visit_chances(inst.classes, inst.blocks, inst.segments, avail, inst.observed, inst.observers, limit)


def _index(inst: Instance, lecturer_id: str) -> int:
    return next(i for i, lec in enumerate(inst.scenario.lecturers) if lec.id == lecturer_id)


def test_a_center_lists_every_observed_lecturers_chances(center: Instance) -> None:
    assert len(center.teachable) <= CENTER_SIZED_PAIRS
    deputy = _index(center, "pho_giam_doc")
    assert center.observable_elsewhere == set()
    listed = [s for (s, lec) in center.visit_chances if lec == deputy]
    assert len(listed) > MAX_CHANCE_SEGMENTS  # with the province's limit he would not be listed
    assert center.visit_chances == _chances(center, None)[0]


def test_with_a_limit_the_busy_lecturers_are_left_out(center: Instance) -> None:
    chances, plenty = _chances(center, MAX_CHANCE_SEGMENTS)
    assert _index(center, "pho_giam_doc") in plenty
    assert not any(lec in plenty for (_, lec) in chances)
    assert set(chances) < set(center.visit_chances)


def test_a_chance_has_the_lecturer_free_and_another_observer_free(center: Instance) -> None:
    avail = np.asarray(center.lecturer_available, dtype=bool)
    for (s, lec), starts in center.visit_chances.items():
        seg = center.segments[s]
        block = center.blocks[seg.block]
        for t in starts:
            slots = block.slots(t)[seg.first : seg.first + seg.length]
            assert all(avail[lec][u] for u in slots)
            assert any(avail[o][u] for u in slots for o in center.observers if o != lec)
