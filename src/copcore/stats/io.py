"""Reading survey microdata files into the engine's columnar table, chosen by file extension.

CSV (PyArrow's reader), Parquet (PyArrow), XLSX (openpyxl, first sheet, first row = names),
SPSS ``.sav`` and Stata ``.dta`` (pyreadstat, codes kept as numbers). Failures become
:class:`copcore.stats.errors.FileError` with a stable code.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from copcore.stats.columns import Column, table_from_arrow
from copcore.stats.errors import FileError

READERS = (".csv", ".parquet", ".xlsx", ".sav", ".dta")


def file_kind(path: Path) -> str:
    """The reader for ``path`` by extension; :class:`FileError` ``file_type_unknown`` else."""
    suffix = path.suffix.lower()
    if suffix == ".pq":
        suffix = ".parquet"
    if suffix not in READERS:
        raise FileError("file_type_unknown", path=str(path), extension=suffix or "(none)")
    return suffix


def arrow_read(path: Path, columns: Sequence[str] | None = None) -> pa.Table:
    """Read ``path`` as an Arrow table (only ``columns`` when given and the format allows)."""
    kind = file_kind(path)
    if not path.is_file():
        raise FileError("file_missing", path=str(path))
    try:
        if kind == ".parquet":
            # One file: ParquetFile spares pq.read_table's dataset layer and its imports.
            with pq.ParquetFile(path) as parquet:
                present = set(parquet.schema_arrow.names)
                wanted = [c for c in columns if c in present] if columns is not None else None
                return parquet.read(columns=wanted)
        if kind == ".csv":
            include = None
            if columns is not None:
                header = pacsv.read_csv(path, read_options=pacsv.ReadOptions(block_size=1 << 16))
                include = [c for c in columns if c in header.column_names]
            return pacsv.read_csv(
                path, convert_options=pacsv.ConvertOptions(include_columns=include)
            )
        if kind == ".xlsx":
            return _xlsx_read(path)
        return _readstat_read(path, kind, columns)
    except FileError:
        raise
    except (OSError, ValueError, pa.ArrowException, KeyError, IndexError) as error:
        raise FileError("file_unreadable", path=str(path), reason=_reason(error)) from error
    except Exception as error:  # third-party readers raise classes of their own
        raise FileError("file_unreadable", path=str(path), reason=_reason(error)) from error


def file_columns(path: Path) -> list[str]:
    """The column names of ``path``, read from its header or schema where the format has one
    (the whole first sheet for XLSX)."""
    kind = file_kind(path)
    if not path.is_file():
        raise FileError("file_missing", path=str(path))
    try:
        if kind == ".parquet":
            return list(pq.read_schema(path).names)
        if kind == ".csv":
            options = pacsv.ReadOptions(block_size=1 << 16)
            with pacsv.open_csv(path, read_options=options) as reader:
                return list(reader.schema.names)
        if kind in (".sav", ".dta"):
            import pyreadstat

            reader = pyreadstat.read_sav if kind == ".sav" else pyreadstat.read_dta
            _frame, meta = reader(str(path), metadataonly=True, output_format="polars")
            return [str(name) for name in meta.column_names]
    except (OSError, ValueError, pa.ArrowException, KeyError, IndexError) as error:
        raise FileError("file_unreadable", path=str(path), reason=_reason(error)) from error
    except Exception as error:  # third-party readers raise classes of their own
        raise FileError("file_unreadable", path=str(path), reason=_reason(error)) from error
    return list(arrow_read(path).column_names)


def table_read(path: Path, columns: Sequence[str] | None = None) -> dict[str, Column]:
    """Read ``path`` into the engine's columnar table (see :mod:`copcore.stats.columns`)."""
    return table_from_arrow(arrow_read(path, columns))


def _reason(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__


def _xlsx_read(path: Path) -> pa.Table:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            return pa.table({})
        names = [str(h) if h is not None else f"column_{i + 1}" for i, h in enumerate(header)]
        data: list[list[Any]] = [[] for _ in names]
        for row in rows:
            for i in range(len(names)):
                data[i].append(row[i] if i < len(row) else None)
    finally:
        workbook.close()
    arrays: list[pa.Array] = []
    for values in data:
        present = [v for v in values if v is not None]
        if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
            arrays.append(pa.array([float(v) if v is not None else None for v in values]))
        else:
            arrays.append(pa.array([str(v) if v is not None else None for v in values]))
    return pa.Table.from_arrays(arrays, names=names)


def _readstat_read(path: Path, kind: str, columns: Sequence[str] | None) -> pa.Table:
    import pyreadstat

    reader = pyreadstat.read_sav if kind == ".sav" else pyreadstat.read_dta
    frame, _meta = reader(
        str(path), usecols=list(columns) if columns else None, output_format="polars"
    )
    return frame.to_arrow()
