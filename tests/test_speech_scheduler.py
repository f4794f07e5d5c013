"""The order the one speech worker makes waiting audio in: questions before answers read back,
people taking turns, and at most one request waiting per person."""

from __future__ import annotations

from assistant.speech.scheduler import ANSWER, QUESTION, Scheduler

KINDS = {"answer": ANSWER, "question": QUESTION}


def run_order(waiting: list[tuple[str, str, str]], per_session: int = 3) -> list[str]:
    """(job, session, kind) added in this order, then every job run: the order they run in."""
    scheduler: Scheduler[str] = Scheduler(per_session)
    for job, session, kind in waiting:
        assert scheduler.add(job, session, KINDS[kind]) == []
    order = []
    while (job := scheduler.next()) is not None:
        order.append(job)
    assert len(scheduler) == 0
    return order


def test_people_take_turns_however_many_they_asked_for() -> None:
    waiting = [("a1", "A", "answer"), ("a2", "A", "answer"), ("a3", "A", "answer")]
    assert run_order([*waiting, ("b1", "B", "answer")]) == ["a1", "b1", "a2", "a3"]


def test_a_question_goes_before_answers_read_back() -> None:
    waiting = [("a1", "A", "answer"), ("a2", "A", "answer"), ("a3", "A", "answer")]
    assert run_order([*waiting, ("b1", "B", "question")]) == ["b1", "a1", "a2", "a3"]


def test_turns_within_questions_and_within_answers() -> None:
    waiting = [
        ("a1", "A", "answer"),
        ("a2", "A", "question"),
        ("a3", "A", "question"),
        ("b1", "B", "answer"),
        ("c1", "C", "question"),
    ]
    # Questions: A (first to ask), C, then A again. Answers: B has had no turn yet, A has.
    assert run_order(waiting) == ["a2", "c1", "a3", "b1", "a1"]


def test_who_just_had_a_turn_waits_behind_someone_who_asked_later() -> None:
    """The pattern of issue 20: one person asks again the moment their audio is made."""
    scheduler: Scheduler[str] = Scheduler()
    scheduler.add("a1", "A", ANSWER)
    assert scheduler.next() == "a1"  # A's first is being made
    scheduler.add("a2", "A", ANSWER)  # A asks again at once
    scheduler.add("b1", "B", ANSWER)  # B asks a moment later
    assert [scheduler.next(), scheduler.next()] == ["b1", "a2"]


def test_a_newer_request_pushes_out_the_one_waiting_from_the_same_person() -> None:
    scheduler: Scheduler[str] = Scheduler(per_session=1)
    assert scheduler.add("a1", "A", ANSWER) == []
    assert scheduler.add("b1", "B", ANSWER) == []
    assert scheduler.add("a2", "A", QUESTION) == ["a1"]
    assert len(scheduler) == 2
    assert [scheduler.next(), scheduler.next(), scheduler.next()] == ["a2", "b1", None]


def test_a_job_nobody_waits_for_leaves_the_line() -> None:
    scheduler: Scheduler[str] = Scheduler()
    scheduler.add("a1", "A", ANSWER)
    scheduler.add("b1", "B", ANSWER)
    assert scheduler.remove("a1") and not scheduler.remove("a1")
    assert [scheduler.next(), scheduler.next()] == ["b1", None]
