"""API settings: query limits, page sizes, the request timeout and the editors' token."""

from __future__ import annotations

from dataclasses import dataclass

from shegong.schema import Settings, ShegongError

__all__ = ["ApiSettings"]


@dataclass(frozen=True)
class ApiSettings:
    """Limits the GraphQL API enforces on every request.

    Attributes:
        max_depth: deepest selection nesting allowed (fields below the top level).
        max_aliases: most aliased fields written in one document.
        max_tokens: most lexical tokens in one document.
        max_cost: the most a document may cost (``gql.cost``: about one unit per field
            and list item it may return), measured before it runs.
        max_string: the longest string (characters) a variable or a string written in
            the document may hold.
        default_page_size: ``first`` when a connection is asked without it.
        max_page_size: the page size cap; asking for more is an error, not a silent cut.
        max_hops: the most hops ``neighbourhood`` walks.
        max_path_hops: the most hops ``path`` searches.
        max_neighbourhood_nodes: the most nodes ``neighbourhood`` returns.
        max_count: the most relations ``relations { totalCount }`` counts.
        request_timeout: seconds one GraphQL request may run before it is answered
            with a timeout error; its store work is stopped then too.
        max_in_flight: GraphQL requests served at once; more are answered 503 with
            ``Retry-After``.
        retry_after: the seconds ``Retry-After`` asks a refused client to wait.
        editor_token: the bearer token editor mutations require; None refuses them.
        cors_origins: origins browsers may call the API from (e.g.
            ``("https://dashboard.example.org",)``, or ``("*",)``); none by default.
    """

    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 2000
    max_cost: int = 50_000
    max_string: int = 10_000
    default_page_size: int = 20
    max_page_size: int = 100
    max_hops: int = 3
    max_path_hops: int = 6
    max_neighbourhood_nodes: int = 500
    request_timeout: float = 10.0
    max_in_flight: int = 32
    retry_after: int = 1
    max_count: int = 10_000
    editor_token: str | None = None
    cors_origins: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in (
            "max_depth",
            "max_aliases",
            "max_tokens",
            "max_hops",
            "max_path_hops",
            "max_count",
            "max_cost",
            "max_string",
            "max_in_flight",
            "retry_after",
        ):
            if getattr(self, name) < 1:
                raise ShegongError(
                    f"ApiSettings.{name} must be at least 1, got {getattr(self, name)}"
                )
        if not 1 <= self.default_page_size <= self.max_page_size:
            raise ShegongError(
                f"ApiSettings.default_page_size must be between 1 and max_page_size "
                f"({self.max_page_size}), got {self.default_page_size}"
            )
        if self.request_timeout <= 0:
            raise ShegongError(
                f"ApiSettings.request_timeout must be positive, got {self.request_timeout}"
            )
        if self.editor_token is not None and not self.editor_token.strip():
            raise ShegongError("ApiSettings.editor_token must not be blank; use None to disable")

    @classmethod
    def from_settings(cls, settings: Settings | None = None, **overrides: object) -> ApiSettings:
        """Limits at their defaults, the editor token from ``SHEGONG_EDITOR_TOKEN``."""
        settings = settings or Settings.from_env()
        values: dict[str, object] = {"editor_token": settings.editor_token}
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]
