"""Columnar tables: the engine's data model and the conversions it needs.

A table is a ``Mapping[str, numpy.ndarray]`` whose arrays have one length. Numeric columns are
``float64`` with ``NaN`` for missing; text columns are ``object`` arrays of ``str`` with
``None`` for missing. Row numbers in error messages count from 1 (the first data row).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from copcore.stats.errors import InputError

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

# Compaction of codes through a table of seen keys up to this range (else by sorting).
_DENSE_KEY_LIMIT = 1 << 25
# Combined keys are compacted before their range would pass this bound.
KEY_RANGE_LIMIT = 1 << 40


@dataclass(frozen=True)
class Factor:
    """A column coded as integers: ``codes`` index ``levels``; ``-1`` marks a missing value.

    Text columns read from files arrive as factors (dictionary-encoded), which keeps a million
    rows of text out of Python objects.
    """

    codes: IntArray
    levels: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.codes)


Column = NDArray[Any] | Factor
Table = Mapping[str, Column]


def table_from_arrow(arrow: pa.Table) -> dict[str, Column]:
    """Convert an Arrow table to the engine's columns: numbers float64 (NaN missing), text
    as :class:`Factor`."""
    out: dict[str, Column] = {}
    for name, column in zip(arrow.column_names, arrow.columns, strict=True):
        out[name] = array_from_arrow(column)
    return out


def array_from_arrow(column: pa.ChunkedArray | pa.Array) -> Column:
    """One Arrow column as float64 (numbers, booleans) or a :class:`Factor` (text)."""
    kind = column.type
    if pa.types.is_dictionary(kind) and not (
        pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type)
    ):
        column = column.cast(kind.value_type)
        kind = column.type
    if pa.types.is_boolean(kind):
        column = column.cast(pa.float64())
        kind = column.type
    if pa.types.is_integer(kind) or pa.types.is_floating(kind):
        # Arrow gives nulls of numbers as NaN: no compute kernel needed (importing
        # pyarrow.compute costs a tenth of a second to a command).
        if isinstance(column, pa.ChunkedArray):
            return np.asarray(column.to_numpy(), dtype=np.float64)
        return np.asarray(column.to_numpy(zero_copy_only=False), dtype=np.float64)
    if pa.types.is_decimal(kind):
        import pyarrow.compute as pc

        filled = pc.fill_null(column.cast(pa.float64()), float("nan"))
        return np.asarray(filled.to_numpy(), dtype=np.float64)
    if pa.types.is_null(kind):
        return np.full(len(column), np.nan)
    return _factor_from_arrow(column)


def _factor_from_arrow(column: pa.ChunkedArray | pa.Array) -> Factor:
    """Dictionary-encode text; blank text is missing; levels sorted by code point."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if not pa.types.is_dictionary(column.type):
        import pyarrow.compute as pc

        if not pa.types.is_string(column.type):
            column = column.cast(pa.string())
        column = pc.dictionary_encode(column)
    dictionary = [str(v) if v is not None else "" for v in column.dictionary.to_pylist()]
    indices = column.indices.to_numpy(zero_copy_only=False)  # nulls as NaN
    if column.indices.null_count:
        indices = np.where(np.isnan(indices), -1.0, indices)
    raw = np.asarray(indices, dtype=np.int64)
    order = sorted(range(len(dictionary)), key=lambda i: dictionary[i].strip())
    levels: list[str] = []
    remap = np.full(len(dictionary) + 1, -1, dtype=np.int64)
    for i in order:
        text = dictionary[i].strip()
        if text == "":
            continue
        if levels and levels[-1] == text:
            remap[i] = len(levels) - 1
            continue
        remap[i] = len(levels)
        levels.append(text)
    return Factor(codes=remap[raw], levels=tuple(levels))


def column_get(table: Table, name: str) -> Column:
    """The column ``name``, or :class:`InputError` ``column_missing``."""
    if name not in table:
        raise InputError("column_missing", column=name)
    return table[name]


def table_length(table: Table) -> int:
    """Number of rows; 0 for a table without columns."""
    for values in table.values():
        return len(values)
    return 0


def missing_mask(values: Column) -> BoolArray:
    """True where the value is missing: NaN for numbers, None or empty text for text."""
    if isinstance(values, Factor):
        return np.asarray(values.codes < 0, dtype=np.bool_)
    if values.dtype.kind == "f":
        return np.asarray(np.isnan(values), dtype=np.bool_)
    if values.dtype.kind in "iub":
        return np.zeros(len(values), dtype=np.bool_)
    import pyarrow.compute as pc

    arrow = pa.array(values, from_pandas=True)
    empty = pc.fill_null(pc.equal(pc.utf8_trim_whitespace(arrow.cast(pa.string())), ""), True)
    return np.asarray(empty.to_numpy(zero_copy_only=False), dtype=np.bool_)


def numeric_column(table: Table, name: str, code: str = "value_not_numeric") -> FloatArray:
    """Column ``name`` as float64 (NaN missing); text that is not a number raises ``code``."""
    values = column_get(table, name)
    if isinstance(values, Factor):
        numbers = np.full(len(values.levels) + 1, np.nan)
        for i, text in enumerate(values.levels):
            try:
                numbers[i] = float(text)
            except ValueError:
                row = int(np.flatnonzero(values.codes == i)[0])
                raise InputError(code, column=name, row=row + 1, value=text) from None
        return numbers[values.codes]
    if values.dtype.kind in "fiub":
        return np.asarray(values, dtype=np.float64)
    import pyarrow.compute as pc

    arrow = pa.array(values, type=pa.string(), from_pandas=True)
    trimmed = pc.utf8_trim_whitespace(arrow)
    blank = pc.fill_null(pc.equal(trimmed, ""), True)
    cleaned = pc.if_else(blank, pa.scalar(None, pa.string()), trimmed)
    try:
        parsed = pc.cast(cleaned, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        for row, text in enumerate(cleaned.to_pylist()):
            if text is None:
                continue
            try:
                float(text)
            except ValueError:
                raise InputError(code, column=name, row=row + 1, value=str(text)) from None
        raise
    return np.asarray(pc.fill_null(parsed, float("nan")).to_numpy(), dtype=np.float64)


def level_label(value: Any) -> str:
    """Text of a level: integral floats without ``.0``, everything else as ``str``."""
    if isinstance(value, float | np.floating):
        number = float(value)
        if number.is_integer():
            return str(int(number))
        return repr(number)
    return str(value)


def _small_integer_factor(numbers: FloatArray, valid: BoolArray) -> Factor | None:
    """Linear-time coding of columns of small integers (codes, categories, 0/1 items)."""
    if not valid.any():
        return Factor(codes=np.full(len(numbers), -1, dtype=np.int64), levels=())
    present = numbers[valid] if not valid.all() else numbers
    low, high = float(present.min()), float(present.max())
    if high - low > 65536:
        return None
    shifted = present - low
    as_int = shifted.astype(np.int64)
    if not np.array_equal(as_int, shifted):
        return None
    seen = np.bincount(as_int, minlength=int(high - low) + 1) > 0
    remap = np.cumsum(seen) - 1
    if present is numbers:
        codes = np.asarray(remap[as_int], dtype=np.int64)
    else:
        codes = np.full(len(numbers), -1, dtype=np.int64)
        codes[valid] = remap[as_int]
    levels = tuple(level_label(low + v) for v in np.flatnonzero(seen).tolist())
    return Factor(codes=codes, levels=levels)


def factorize(values: Column) -> Factor:
    """Integer codes of a column, levels sorted (numbers numerically, text by code point)."""
    if isinstance(values, Factor):
        return values
    if values.dtype.kind in "iub" or values.dtype.kind == "f":
        numbers = np.asarray(values, dtype=np.float64)
        valid = ~np.isnan(numbers)
        small = _small_integer_factor(numbers, valid)
        if small is not None:
            return small
        uniques, inverse = np.unique(numbers[valid], return_inverse=True)
        codes = np.full(len(numbers), -1, dtype=np.int64)
        codes[valid] = inverse
        return Factor(codes=codes, levels=tuple(level_label(v) for v in uniques))
    return _factor_from_arrow(pa.array(values, type=pa.string(), from_pandas=True))


def codes_compact(key: IntArray, key_range: int) -> tuple[IntArray, int]:
    """Renumber the keys present (``0 <= key < key_range``) as ``0..m-1`` in key order.

    Linear time through a table of seen keys when the range is not much larger than the
    data, else by sorting. Returns the new codes and ``m``.
    """
    if key_range <= max(_DENSE_KEY_LIMIT, 4 * len(key)):
        seen = np.zeros(key_range, dtype=np.bool_)
        seen[key] = True
        remap = np.cumsum(seen, dtype=np.int64)
        count = int(remap[-1]) if key_range else 0
        remap -= 1
        return np.asarray(remap[key], dtype=np.int64), count
    present, inverse = np.unique(key, return_inverse=True)
    return np.asarray(inverse, dtype=np.int64).reshape(-1), len(present)


def factor_combine(factors: Sequence[Factor]) -> Factor:
    """Cross-classify factors; only combinations present in the data become levels.

    Level text joins the component levels with ``"\\x1f"`` (unit separator); callers split it.
    """
    if not factors:
        raise ValueError("factor_combine needs at least one factor")
    n_rows = len(factors[0].codes)
    missing = np.zeros(n_rows, dtype=np.bool_)
    for factor in factors:
        missing |= factor.codes < 0
    rows = np.flatnonzero(~missing)
    combined = np.zeros(len(rows), dtype=np.int64)
    key_range = 1
    for factor in factors:
        size = max(len(factor.levels), 1)
        if key_range * size > KEY_RANGE_LIMIT:
            combined, key_range = codes_compact(combined, key_range)
        combined *= size
        combined += factor.codes[rows]
        key_range *= size
    compact, count = codes_compact(combined, key_range)
    codes = np.full(n_rows, -1, dtype=np.int64)
    codes[rows] = compact
    # Any row holding a level tells its components.
    representative = np.empty(count, dtype=np.int64)
    representative[compact] = rows
    parts = [
        [factor.levels[c] for c in factor.codes[representative].tolist()] for factor in factors
    ]
    labels = ["\x1f".join(texts) for texts in zip(*parts, strict=True)]
    return Factor(codes=codes, levels=tuple(labels))
