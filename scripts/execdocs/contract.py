"""What the stages hand each other, defined once: the job, `result.json`, `report.json`.

The runner writes a `Job` for each snippet run; the child that runs it writes a `RunResult`
(`result.json`); the runner keeps the stable part of it in the cache and writes a `Report`
(`report.json`) for the whole run. The page fragments, the notebooks, the parity check and the
report page read these files only through `load_result` and `load_report`. Standard library only:
the runner and the child run where nothing but Python, torch and matplotlib is installed.
"""

import json
from dataclasses import asdict, dataclass, field, fields

# Fields of a result that change from run to run (times, memory, the machine): kept out of the
# cached result.json so that two runs of the same code give the same bytes.
VOLATILE = ("seconds", "peak_rss_bytes", "cuda_max_allocated_bytes", "gpu_name", "stderr")


def _from_dict(cls, data):
    known = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in known})


@dataclass(frozen=True)
class Job:
    """One snippet run, as the runner asks for it."""

    snippet: str  # absolute path of snippets/NAME.py
    display_path: str  # the path shown in messages: snippets/NAME.py
    out_dir: str  # where the child writes result.json and the figures
    device: str  # cpu or cuda
    timeout: int  # seconds
    cwd: str  # the project root
    threads: int | None = None  # torch threads for this snippet (the cores are shared)
    memory_limit_bytes: int | None = None  # memory the snippet may use (run/limits.py), None for no limit
    max_output_lines: int = 300  # printed lines a cell shows on the page (run/limits.py)

    def dump(self, path):
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(asdict(self), fh)

    @classmethod
    def load(cls, path):
        with open(path, encoding="utf-8") as fh:
            return _from_dict(cls, json.load(fh))


@dataclass(frozen=True)
class Failure:
    """Why a run failed, pointing at the snippet's own line where there is one."""

    type: str
    message: str
    file: str
    line: int | None = None
    traceback: str = ""

    def __str__(self):
        where = self.file + (f":{self.line}" if self.line else "")
        text = f"{where}: {self.type}: {self.message}"
        if self.traceback.strip():
            text += "\n" + "\n".join("    " + t for t in self.traceback.rstrip().splitlines())
        return text


@dataclass(frozen=True)
class Figure:
    name: str
    alt: str


@dataclass(frozen=True)
class Cell:
    """One `# %%` cell as it ran: its code, what it printed, the figures and tables it published."""

    name: str
    first_line: int
    last_line: int
    code: str
    stdout: str = ""
    figures: tuple = ()  # of Figure
    tables: tuple = ()  # table names, in the order published
    stdout_cut_lines: int = 0  # printed lines left out of stdout (over the snippet's output limit)

    @classmethod
    def from_dict(cls, data):
        data = dict(data)
        data["figures"] = tuple(_from_dict(Figure, f) for f in data.get("figures", ()))
        data["tables"] = tuple(data.get("tables", ()))
        return _from_dict(cls, data)


@dataclass(frozen=True)
class RunResult:
    """`result.json`: everything one run of one snippet produced."""

    snippet: str
    device: str = "cpu"
    cells: tuple = ()  # of Cell
    error: Failure | None = None
    values: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)  # name -> Markdown table
    tolerances: dict = field(default_factory=dict)  # value name -> tolerance for parity
    local_modules: tuple = ()  # snippets/ files the run imported besides the snippet
    seconds: float | None = None
    peak_rss_bytes: int | None = None
    cuda_max_allocated_bytes: int | None = None
    gpu_name: str | None = None
    stderr: str = ""

    @property
    def figures(self):
        return [figure for cell in self.cells for figure in cell.figures]

    def stable(self):
        """The result less its volatile fields: what the cache keeps."""
        return RunResult(**{f.name: getattr(self, f.name) for f in fields(self) if f.name not in VOLATILE})

    def run_info(self):
        """The volatile fields that describe the run (for report.json), without stderr."""
        return {k: getattr(self, k) for k in VOLATILE if k != "stderr" and getattr(self, k) is not None}

    def to_json(self):
        data = asdict(self)
        for name in VOLATILE:
            if data.get(name) in (None, ""):
                data.pop(name, None)
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)

    @classmethod
    def from_dict(cls, data):
        data = dict(data)
        data["cells"] = tuple(Cell.from_dict(c) for c in data.get("cells", ()))
        data["error"] = _from_dict(Failure, data["error"]) if data.get("error") else None
        data["local_modules"] = tuple(data.get("local_modules", ()))
        return _from_dict(cls, data)


def load_result(path):
    with open(path, encoding="utf-8") as fh:
        return RunResult.from_dict(json.load(fh))


@dataclass(frozen=True)
class SnippetRun:
    """One snippet's line in report.json."""

    status: str  # ran, cached or failed
    device: str
    seconds: float | None = None
    peak_rss_bytes: int | None = None
    cuda_max_allocated_bytes: int | None = None
    gpu_name: str | None = None


@dataclass(frozen=True)
class Report:
    """`report.json`: where the snippets ran and how each one went."""

    environment: dict
    summary: str
    snippets: dict  # name -> SnippetRun

    def to_json(self):
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True)

    @classmethod
    def from_dict(cls, data):
        snippets = {name: _from_dict(SnippetRun, info) for name, info in data.get("snippets", {}).items()}
        return cls(environment=data.get("environment", {}), summary=data.get("summary", ""), snippets=snippets)


def load_report(path):
    """The report at path, or None if there is none (or it cannot be read)."""
    try:
        with open(path, encoding="utf-8") as fh:
            return Report.from_dict(json.load(fh))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
