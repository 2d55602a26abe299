"""What an import did: one line per page (and one per media file it could not find), then a
summary. Holds counts, not the pages."""

from dataclasses import dataclass, field

STATUSES = ("created", "updated", "unchanged", "failed")


@dataclass
class PageResult:
    name: str
    status: str
    article_id: int | None = None
    title: str = ""
    reason: str = ""
    warnings: list[str] = field(default_factory=list)
    # Legacy paths of files this page refers to that were not under --media-root (each named
    # once per run, by the first page that refers to it).
    missing_files: list[str] = field(default_factory=list)

    def line(self) -> str:
        """`created   path/to/page.txt → #12 “Title”; warning: …`."""
        text = f"{self.status:<9} {self.name}"
        if self.article_id is not None:
            text += f" → #{self.article_id} “{self.title}”"
        if self.reason:
            text += f": {self.reason}"
        if self.warnings:
            text += "; warning: " + "; ".join(self.warnings)
        return text

    def missing_lines(self) -> list[str]:
        """`missing   /2016/03/06/name.mp4 (named by path/to/page.txt)`, one per file not found."""
        return [f"{'missing':<9} {path} (named by {self.name})" for path in self.missing_files]


@dataclass
class ImportReport:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    warnings: int = 0
    missing_files: int = 0
    failed_names: list[str] = field(default_factory=list)

    def add(self, result: PageResult) -> None:
        self.counts[result.status] += 1
        self.warnings += len(result.warnings)
        self.missing_files += len(result.missing_files)
        if result.status == "failed":
            self.failed_names.append(result.name)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def failed(self) -> int:
        return self.counts["failed"]

    def summary(self, dry_run: bool = False, media_root=None) -> str:
        """The closing line; with `media_root` (the folder searched), how many files were not in it."""
        parts = ", ".join(f"{self.counts[s]} {s}" for s in STATUSES)
        text = f"{self.total} page(s): {parts}; {self.warnings} warning(s)."
        if media_root is not None:
            text += f" {self.missing_files} media file(s) not found under {media_root}."
        if dry_run:
            text += " Dry run: nothing was saved."
        return text
