"""What a refused plan file reports: every problem, by row and column."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PlanImportRowError:
    """One problem. row: the 1-based file row (header = 1), None for the whole
    file; column: the column's name, or None."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [f"row {self.row}"] if self.row is not None else []
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class PlanImportError(Exception):
    """The file cannot be imported; `errors` lists every problem found and
    `filename` names the file (None when it had no name)."""

    def __init__(
        self, errors: list[PlanImportRowError], *, filename: str | None = None
    ) -> None:
        self.errors = list(errors)
        self.filename = filename
        super().__init__("; ".join(str(error) for error in self.errors[:3]))

    def __str__(self) -> str:
        text = super().__str__()
        return f"{self.filename}: {text}" if self.filename else text


def file_error(message: str) -> PlanImportError:
    """An error about the whole file (no row, no column)."""
    return PlanImportError([PlanImportRowError(None, None, message)])
