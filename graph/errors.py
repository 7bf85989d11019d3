"""The one exception hierarchy of cmkg. Messages are short, specific, and name the file at fault."""


class CmkgError(Exception):
    """Base class of every error cmkg raises on purpose."""


class DocumentError(CmkgError):
    """A source document cannot be read: missing, empty, binary, or not UTF-8."""


class FetchError(DocumentError):
    """A web address or feed cannot be read: refused by robots.txt, an HTTP error, a timeout, too large."""


class NothingReadError(DocumentError):
    """Every document was skipped (``--keep-going``), so there is nothing to build; ``skipped`` lists them."""

    def __init__(self, message: str, skipped: list | None = None) -> None:
        super().__init__(message)
        self.skipped = list(skipped or [])


class ReferenceDataError(CmkgError):
    """A file under ontology/ is missing or malformed."""


class ExtractionError(CmkgError):
    """Extraction failed on a document."""


class StoreError(CmkgError):
    """The triple store cannot be opened, written or read."""


class QueryError(CmkgError):
    """A SPARQL query is malformed or failed."""


class ServeError(CmkgError):
    """The SPARQL server could not start or stopped unexpectedly."""


class PushError(CmkgError):
    """Uploading the dataset to a remote SPARQL store failed."""


class AnalysisError(CmkgError):
    """An analysis was asked something the graph cannot answer: an unknown measure, entity or date."""


class WorkerError(CmkgError):
    """A worker process (:mod:`graph.workers`) ended without a result, or with an exception that could not be
    sent back."""
