"""Each group's best rapidfuzz score of one message against many fixed texts, the texts packed once, at load.

`process.cdist([message], texts)` takes the message as the pattern and walks every text, so each call costs the
texts' total length. For `ratio`, rapidfuzz also has a multi-string scorer that packs texts of up to 64 characters
into vector lanes and walks the message once for several of them, but `cdist` only uses it for many queries, and
packs again on every call. Its C API (`rapidfuzz.h`, the struct `RF_Scorer`, version 3) lets us build that packed
scorer once and keep it. The scores are rapidfuzz's own, bit for bit. Longer texts still go through `cdist`, and for
`ratio` only those whose length leaves them a chance to beat their group's best. Where the C API is not what this
module expects (another struct version, a CPU or scorer without the multi-string form), every text goes through
`cdist`.
"""

from __future__ import annotations

import ctypes
import logging
import weakref
from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

log = logging.getLogger(__name__)

# rapidfuzz sizes a packed scorer's lanes by its longest text (8, 16, 32 or 64 characters). Two scorers: the few
# texts under 17 characters gain less from narrower lanes than another call costs.
_LANE_LENGTHS = (32, 64)
_STRUCT_VERSION = 3
_MULTI_STRING_INIT = 1 << 0
_RESULT_F64 = 1 << 5
_UINT8, _UINT32 = 0, 2  # RF_StringType


class _String(ctypes.Structure):
    # `data` as char*: a bytes object assigned to it is pointed at, not copied, and kept alive by the struct.
    _fields_ = [("dtor", ctypes.c_void_p), ("kind", ctypes.c_int), ("data", ctypes.c_char_p),
                ("length", ctypes.c_int64), ("context", ctypes.c_void_p)]


class _Kwargs(ctypes.Structure):
    _fields_ = [("dtor", ctypes.c_void_p), ("context", ctypes.c_void_p)]


class _ScorerFunc(ctypes.Structure):
    _fields_ = [("dtor", ctypes.c_void_p), ("call", ctypes.c_void_p), ("context", ctypes.c_void_p)]


class _ScorerFlags(ctypes.Structure):
    _fields_ = [("flags", ctypes.c_uint32), ("optimal_score", ctypes.c_double), ("worst_score", ctypes.c_double)]


class _Scorer(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("kwargs_init", ctypes.c_void_p),
                ("get_scorer_flags", ctypes.c_void_p), ("scorer_func_init", ctypes.c_void_p),
                ("uncached_scorer_func", ctypes.c_void_p)]


# PYFUNCTYPE keeps the GIL: rapidfuzz reports a failure by setting a Python exception.
_KwargsInit = ctypes.PYFUNCTYPE(ctypes.c_bool, ctypes.POINTER(_Kwargs), ctypes.py_object)
_GetFlags = ctypes.PYFUNCTYPE(ctypes.c_bool, ctypes.POINTER(_Kwargs), ctypes.POINTER(_ScorerFlags))
_FuncInit = ctypes.PYFUNCTYPE(ctypes.c_bool, ctypes.POINTER(_ScorerFunc), ctypes.POINTER(_Kwargs), ctypes.c_int64,
                              ctypes.POINTER(_String))
_CallF64 = ctypes.PYFUNCTYPE(ctypes.c_bool, ctypes.POINTER(_ScorerFunc), ctypes.POINTER(_String), ctypes.c_int64,
                             ctypes.c_double, ctypes.c_double, ctypes.c_void_p)
_Dtor = ctypes.PYFUNCTYPE(None, ctypes.POINTER(_ScorerFunc))

_capsule_name = ctypes.pythonapi.PyCapsule_GetName
_capsule_name.restype, _capsule_name.argtypes = ctypes.c_char_p, [ctypes.py_object]
_capsule_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_capsule_pointer.restype, _capsule_pointer.argtypes = ctypes.c_void_p, [ctypes.py_object, ctypes.c_char_p]


def _string(text: str) -> _String:
    """The text as rapidfuzz's RF_String (which holds the encoded bytes alive)."""
    try:
        return _String(None, _UINT8, text.encode("latin-1"), len(text), None)  # code points < 256: one byte each
    except UnicodeEncodeError:
        return _String(None, _UINT32, text.encode("utf-32-le"), len(text), None)


class _Packed:
    """One multi-string scorer over texts of at most 64 characters, built once, and how its texts group."""

    def __init__(self, scorer: _Scorer, kwargs: _Kwargs, texts: list[str], groups: np.ndarray,
                 views: dict[Hashable, np.ndarray]) -> None:
        made = [_string(text) for text in texts]  # alive until packed: rapidfuzz copies what it needs
        strings = (_String * len(texts))(*made)
        self._func = _ScorerFunc()
        if not _FuncInit(scorer.scorer_func_init)(ctypes.byref(self._func), ctypes.byref(kwargs), len(texts),
                                                  strings):
            raise RuntimeError("rapidfuzz could not build a multi-string scorer")
        self._call = _CallF64(self._func.call)
        self._self = ctypes.byref(self._func)
        self.size = len(texts)
        # Its texts keep the index's order, so groups ascend. Per view, which of its scores belong to it (None: all).
        self.runs: dict[Hashable, tuple[np.ndarray | None, np.ndarray, np.ndarray]] = {}
        for key, chosen in views.items():
            mine = None if chosen.all() else np.flatnonzero(chosen)
            self.runs[key] = (mine, *_runs(groups if mine is None else groups[mine]))
        # rapidfuzz writes whole vectors of results (up to 32 lanes each): room for one more.
        self._room = self.size + 64
        # Not at exit: a listener thread may still be scoring then, and the OS takes the memory back anyway.
        weakref.finalize(self, _Dtor(self._func.dtor), self._self).atexit = False

    def scores(self, query: ctypes._Pointer) -> np.ndarray:
        out = np.empty(self._room, dtype=np.float64)  # per call: listeners may score on several threads
        if not self._call(self._self, query, 1, 0.0, 0.0, out.__array_interface__["data"][0]):
            raise RuntimeError("rapidfuzz's multi-string scorer failed")
        return out[: self.size]


def _runs(groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For group ids in ascending order: each distinct id and where its run starts."""
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]]) if len(groups) else np.array([], dtype=np.intp)
    return groups[starts], starts


def _raise(best: np.ndarray, groups: np.ndarray, starts: np.ndarray, scores: np.ndarray) -> None:
    """Raise each group's best (float32) to its highest score in its run of `scores` (runs from `_runs`)."""
    best[groups] = np.maximum(best[groups], np.maximum.reduceat(scores, starts))


def _multi_string(scorer_function: object) -> tuple[_Scorer, _Kwargs] | None:
    """rapidfuzz's C scorer behind a scorer function, if it can be built over many texts; None otherwise."""
    capsule = getattr(scorer_function, "_RF_Scorer", None)
    if capsule is None:
        return None
    scorer = ctypes.cast(_capsule_pointer(capsule, _capsule_name(capsule)), ctypes.POINTER(_Scorer)).contents
    if scorer.version != _STRUCT_VERSION:
        log.info("score_index.unpacked", extra={"reason": f"rapidfuzz scorer struct version {scorer.version}"})
        return None
    kwargs, flags = _Kwargs(), _ScorerFlags()
    if not (_KwargsInit(scorer.kwargs_init)(ctypes.byref(kwargs), {})
            and _GetFlags(scorer.get_scorer_flags)(ctypes.byref(kwargs), ctypes.byref(flags))):
        return None
    if not (flags.flags & _MULTI_STRING_INIT and flags.flags & _RESULT_F64):
        return None  # this scorer, or rapidfuzz on this CPU, has no multi-string form
    return scorer, kwargs


def _pack(native: tuple[_Scorer, _Kwargs], texts: list[str], groups: np.ndarray, views: dict[Hashable, np.ndarray],
          lengths: np.ndarray) -> list[_Packed]:
    """One packed scorer per lane width over every text: a view's scores are a slice of each call's result, and one
    call over all costs less than one per view. Empty if rapidfuzz fails: `cdist` then compares every text."""
    packers, shorter = [], 0
    try:
        for lane in _LANE_LENGTHS:
            positions = np.flatnonzero((lengths > shorter) & (lengths <= lane))
            if len(positions):
                packers.append(_Packed(*native, [texts[i] for i in positions], groups[positions],
                                       {key: chosen[positions] for key, chosen in views.items()}))
            shorter = lane
    except (RuntimeError, MemoryError, ValueError) as error:
        log.warning("score_index.unpacked", extra={"reason": str(error)})
        return []
    return packers


@dataclass(frozen=True)
class _Rest:
    """Texts no packed scorer holds: `cdist` compares them."""

    texts: np.ndarray  # an object array, so that a mask selects them
    lengths: np.ndarray
    groups: np.ndarray  # each text's
    runs: tuple[np.ndarray, np.ndarray]  # `_runs(groups)`


class ScoreIndex:
    """Texts one scorer compares a message with, in groups (intents), seen whole or through views (subsets chosen at
    load, such as one language's texts); `best` is the hot path."""

    def __init__(self, texts: list[str], groups: np.ndarray, views: dict[Hashable, np.ndarray] | None = None,
                 scorer=fuzz.ratio, packed: bool = True) -> None:
        """`groups` is each text's group id, ascending; `views` a boolean mask over the texts per key. The view
        None, every text, is always there."""
        self.size = int(groups.max()) + 1 if len(groups) else 0
        self._scorer = scorer
        # ratio <= 200 * shorter / (sum of lengths), all in common: for ratio, a length bound skips texts.
        self._bounded = scorer is fuzz.ratio
        lengths = np.array([len(t) for t in texts], dtype=np.int64)
        views = {None: np.ones(len(texts), dtype=bool), **(views or {})}
        native = _multi_string(scorer) if packed else None
        self._packed = _pack(native, texts, groups, views, lengths) if native else []
        self.packed = bool(self._packed)
        shorter = _LANE_LENGTHS[-1] if self.packed else 0
        self._rest: dict[Hashable, _Rest] = {}
        for key, chosen in views.items():
            rest = np.flatnonzero((lengths > shorter) & chosen)
            rest_texts = np.empty(len(rest), dtype=object)
            rest_texts[:] = [texts[i] for i in rest]
            self._rest[key] = _Rest(rest_texts, lengths[rest], groups[rest], _runs(groups[rest]))

    def best(self, query: str, view: Hashable = None) -> np.ndarray:
        """Each group's best score with the query over the view's texts (every text for None), 0-100."""
        # Scores are >= 0, so zero is below any text's. float32, as cdist's rows are: the packed scorer's doubles
        # round to the very same values.
        best = np.zeros(self.size, dtype=np.float32)
        if self._packed:
            string = ctypes.byref(_string(query))
            for packer in self._packed:
                mine, groups, starts = packer.runs[view]
                if len(starts):
                    scores = packer.scores(string)
                    _raise(best, groups, starts, scores if mine is None else scores[mine])
        rest = self._rest[view]
        if not len(rest.texts):
            return best.astype(np.float64)
        if self._bounded:
            # A text whose length caps it at its group's best so far can't change that best (the margin keeps
            # float rounding on the safe side). The others score 0 here, which changes no group's best.
            n = len(query)
            needed = 200.0 * np.minimum(rest.lengths, n) / (rest.lengths + n) + 1e-6 >= best[rest.groups]
            scores = np.zeros(len(rest.texts), dtype=np.float32)
            scores[needed] = process.cdist([query], rest.texts[needed], scorer=self._scorer, processor=None)[0]
        else:
            scores = process.cdist([query], rest.texts, scorer=self._scorer, processor=None)[0]
        _raise(best, *rest.runs, scores)
        return best.astype(np.float64)
