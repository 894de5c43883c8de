"""`saylau verify --board`: every event of the archive is on the board, under its signed checkpoint."""

from __future__ import annotations

from pathlib import Path

from saylau.board.client import open_board
from saylau.board.errors import BoardError
from saylau.board.note import load_vkey, open_checkpoint
from saylau.record.boardlog import BoardReader, archive_in_board, saylau_events
from saylau.record.directory import open_record
from saylau.record.errors import RecordError

from .report import Report


def check_board(report: Report, record: Path, board_location: str, log_key: str | None) -> None:
    """Add `board.*` findings: unsigned or unreadable board, events missing or different."""
    try:
        _, source = open_record(record)
        archive = source if source.suffix == ".bel" else None
        if archive is None:
            report.add("board.archive", str(record), "the record is not a .bel archive; nothing to compare")
            return
        board = open_board(board_location)
        if log_key:
            verifier = load_vkey(log_key)
        elif (Path(board_location) / "log.vkey").is_file():
            verifier = load_vkey(str(Path(board_location) / "log.vkey"))
            report.notes.append(f"board log key taken from {board_location}/log.vkey (pass --log-key to pin it)")
        else:
            report.add("board.key", board_location, "no log key: pass --log-key")
            return
        cp = open_checkpoint(board.checkpoint_note(), verifier)
        check = archive_in_board(archive, board, cp.root_hash, cp.size)
    except (BoardError, RecordError, OSError) as exc:
        report.add("board.unreadable", board_location, str(exc))
        return
    for p in check.problems:
        report.add("board.inclusion", board_location, p)
    _check_outcomes(report, board, cp.size)
    report.stats["board"] = f"{board_location}: checkpoint size {cp.size}, every archive event included" if not check.problems else board_location


def _check_outcomes(report: Report, board: BoardReader, size: int) -> None:
    """Re-derive every contest's outcome from the verified result; compare with the published one."""
    from saylau.domain.contest import derive_outcome, spec_from_json
    from saylau.domain.errors import DomainError

    contests = saylau_events(board, "contest", size)
    if not contests or report.result is None:
        return
    published = {int(str(e.get("question"))): (i, e) for i, e in saylau_events(board, "outcome", size)}
    for index, event in contests:
        subject = f"board entry {index} (contest)"
        try:
            spec = spec_from_json(event)
            text, answers, blank = report.questions[spec.question]
            derived = derive_outcome(spec, answers, report.result[spec.question], blank=blank)
        except (DomainError, IndexError) as exc:
            report.add("outcome.invalid", subject, str(exc))
            continue
        report.stats[f"outcome of question {spec.question + 1}"] = {k: v for k, v in derived.items() if k not in ("saylau", "question")}
        if spec.question not in published:
            report.add("outcome.missing", subject, f"no outcome was published for question {spec.question + 1}")
        elif published[spec.question][1] != derived:
            report.add("outcome.mismatch", f"board entry {published[spec.question][0]} (outcome)",
                       f"published {published[spec.question][1]}, but the verified result gives {derived}")
