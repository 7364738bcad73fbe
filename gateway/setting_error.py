"""The error a setting that cannot be read raises (kept apart so every settings reader can use it)."""

from __future__ import annotations

__all__ = ["SettingError"]


class SettingError(ValueError):
    """A setting that cannot be read, named by its environment variable."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(key, problem)
        self.key, self.problem = key, problem

    def __str__(self) -> str:
        return f"{self.key}: {self.problem}"
