"""Findings and the verification report."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Finding:
    """One failed check: a stable `check` code, the `subject` (event height, tracker), why."""

    check: str
    subject: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.subject}: {self.detail}"


@dataclass(slots=True)
class Report:
    """Everything a verification found; `ok` when there is no finding."""

    findings: list[Finding] = field(default_factory=list)
    result: list[list[int]] | None = None
    questions: list[tuple[str, list[str], bool]] = field(default_factory=list)
    stats: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def add(self, check: str, subject: str, detail: str) -> None:
        self.findings.append(Finding(check, subject, detail))

    def checks(self) -> set[str]:
        return {f.check for f in self.findings}

    def render(self) -> str:
        lines = []
        for key, value in self.stats.items():
            lines.append(f"{key}: {value}")
        for note in self.notes:
            lines.append(f"note: {note}")
        if self.result is not None:
            lines.append("result:")
            for qi, counts in enumerate(self.result):
                text, answers, blank = self.questions[qi] if qi < len(self.questions) else (f"question {qi + 1}", [], False)
                lines.append(f"  {text}")
                labels = (["(blank)"] if blank else []) + answers
                for ai, n in enumerate(counts):
                    label = labels[ai] if ai < len(labels) else f"answer {ai}"
                    lines.append(f"    {label}: {n}")
        if self.findings:
            lines.append(f"FAILED: {len(self.findings)} finding(s)")
            lines.extend(f"  {f}" for f in self.findings)
        else:
            lines.append("OK: every check passed")
        return "\n".join(lines)
