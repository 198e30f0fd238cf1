"""Choose matching weights and thresholds on the DEV split plus 5-fold cross-validation over the examples.

Never reads the test split: the figures it prints are tuning figures; `python -m bot eval` reports the test split.
Usage: .venv/bin/python bench/tune.py [--top 10]
"""

from __future__ import annotations

import argparse
import itertools
import random
from dataclasses import replace

import numpy as np

from bot import evaluation
from bot.engine import Thresholds
from bot.knowledge import load_knowledge
from bot.matcher import Matcher
from bot.normalize import normalize

UNKNOWN_WEIGHTS = (0.25, 0.5, 0.75, 1.0)
FUZZY = ("ratio", "token_sort_ratio", "token_set_ratio", "WRatio", "partial_ratio")


def featurise(matcher: Matcher, texts: list[str]) -> dict[str, np.ndarray]:
    rows = [matcher.features(normalize(t), FUZZY) for t in texts]
    out = {name: np.stack([r.fuzzy[name] for r in rows]) for name in FUZZY}
    for u in UNKNOWN_WEIGHTS:
        out[f"lexical@{u}"] = np.stack([r.lexical(u * matcher.unknown_idf) for r in rows])
        out[f"known@{u}"] = np.array([r.known(u * matcher.unknown_idf) for r in rows])
    return out


def stack(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def cross_validation(knowledge, vocab: dict, folds: int = 5, seed: int = 7):
    """Features of each example scored by a matcher built without its fold."""
    rng = random.Random(seed)
    items = [(i, lang, ex) for i, intent in knowledge.intents.items()
             for lang, exs in intent.examples.items() for ex in exs]
    rng.shuffle(items)
    feats, labels = [], []
    for k in range(folds):
        held = set(range(k, len(items), folds))
        kept = {}
        for n, (i, lang, ex) in enumerate(items):
            if n not in held:
                kept.setdefault(i, {}).setdefault(lang, []).append(ex)
        intents = {i: replace(v, examples={lang: tuple(x) for lang, x in kept[i].items()})
                   for i, v in knowledge.intents.items()}
        matcher = Matcher(replace(knowledge, intents=intents), scoring={"weights": {}, **vocab})
        texts = [items[n][2] for n in sorted(held)]
        feats.append(featurise(matcher, texts))
        labels += [items[n][0] for n in sorted(held)]
    return stack(feats), labels


def decide(score: np.ndarray, threshold: float, margin: float, rejecting: np.ndarray, veto: float,
           formulaic: np.ndarray, fixed: Thresholds) -> np.ndarray:
    """Index of the answered intent per row, -1 where the engine would clarify or fall back (as Engine._decide).

    `fixed` holds the configured thresholds this search does not sweep (smalltalk, the confident-topic veto)."""
    topics = np.where(rejecting[None, :], -np.inf, score)
    top2 = np.sort(topics, axis=1)[:, -2:]
    best = np.argmax(topics, axis=1)
    veto_at = np.where(top2[:, 1] >= fixed.confident, fixed.confident_out_of_scope_margin, veto)
    vetoed = score[:, rejecting].max(axis=1) > top2[:, 1] + veto_at
    needed = np.where(formulaic[best], fixed.smalltalk, threshold)
    ok = (top2[:, 1] >= needed) & (top2[:, 1] - top2[:, 0] > margin) & ~vetoed
    return np.where(ok, best, -1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--top", type=int, default=8)
    parser.add_argument("--stem", type=int, default=0)
    parser.add_argument("--answer-words", action="store_true")
    parser.add_argument("--typo", type=float, default=82, help="typo-correction cutoff (fuzz.ratio)")
    parser.add_argument("--grading", type=float, default=0.0, help="lexical_grading exponent (0: yes/no use)")
    parser.add_argument("--negatives", action="store_true",
                        help="out-of-scope word evidence per example (negatives_per_example)")
    parser.add_argument("--quick", action="store_true", help="fewer scorer combinations")
    parser.add_argument("--fast", action="store_true", help="only scorers that cost what ratio costs (p99 < 2 ms)")
    parser.add_argument("--margin", type=float, action="append",
                        help="clarify margin(s) to try (default 0, 1, 2); fix it to keep 'Did you mean' replies alive")
    args = parser.parse_args()
    knowledge = load_knowledge()
    ids = list(knowledge.intents)
    vocab = {"stem_length": args.stem, "answer_words": args.answer_words, "typo_cutoff": args.typo,
             "lexical_grading": args.grading, "negatives_per_example": args.negatives}
    matcher = Matcher(knowledge, scoring={"weights": {}, **vocab})
    cases = evaluation.load_cases(evaluation.split_files("dev"))
    dev_in = [c for c in cases if c.intent]
    dev_oos = [c for c in cases if c.intent is None]
    near = np.array([c.group == "near_miss" for c in dev_oos])
    f_in, f_oos = featurise(matcher, [c.text for c in dev_in]), featurise(matcher, [c.text for c in dev_oos])
    y_in = np.array([ids.index(c.intent) for c in dev_in])
    f_cv, cv_labels = cross_validation(knowledge, vocab)
    rejecting = np.array([knowledge.intents[i].kind == "out_of_scope" for i in ids])
    formulaic = np.array([knowledge.intents[i].formulaic for i in ids])
    fixed = Thresholds.from_config(knowledge.matching)  # the engine's own reading of what is not swept
    # A held-out negative example is right when rejected.
    y_cv = np.array([-1 if rejecting[ids.index(i)] else ids.index(i) for i in cv_labels])
    grid = {
        "lexical": [0.2, 0.3, 0.4, 0.5, 0.6],
        "fuzzy_a": ("ratio",) if args.fast else ("ratio", "token_set_ratio") if args.quick else FUZZY,
        "fuzzy_b": ("token_sort_ratio",) if args.fast else ("token_set_ratio", "token_sort_ratio") if args.quick else FUZZY,
        "share_a": [0.5, 0.7, 1.0],
        "unknown_penalty": [0.0, 0.1, 0.2, 0.3],
        "unknown_weight": UNKNOWN_WEIGHTS,
    }
    # The product's ceiling on in-scope questions turned away: a setting above it is not a candidate at all.
    max_false_rejection = float(knowledge.matching["targets"]["false_rejection"])
    results = []
    for lex, a, b, share, pen, unk in itertools.product(*grid.values()):
        if a >= b and share != 1.0:
            continue
        weights = {"lexical": lex, a: (1 - lex) * share}
        if share != 1.0:
            weights[b] = (1 - lex) * (1 - share)

        def score(f, weights=weights, pen=pen, unk=unk):
            s = sum(w * f[f"lexical@{unk}" if k == "lexical" else k] for k, w in weights.items())
            return s - pen * (1 - f[f"known@{unk}"])[:, None] * 100

        s_in, s_oos, s_cv = score(f_in), score(f_oos), score(f_cv)
        vetoes = (-10, -8, -6, -4, -2, 0, 2, 4)
        for threshold, margin, veto in itertools.product(range(44, 72), args.margin or (0, 1, 2), vetoes):
            d_in, d_oos, d_cv = (decide(s, threshold, margin, rejecting, veto, formulaic, fixed)
                                 for s in (s_in, s_oos, s_cv))
            acc = (d_in == y_in).mean()
            cv = (d_cv == y_cv).mean()
            rej = (d_oos == -1).mean()
            rej_near = (d_oos[near] == -1).mean()
            false_rej = (d_in == -1).mean()
            if false_rej > max_false_rejection:
                continue
            # Balanced objective; CV keeps it honest where dev is small.
            objective = 0.35 * acc + 0.15 * cv + 0.3 * rej + 0.2 * rej_near
            results.append((objective, acc, cv, rej, rej_near, false_rej, weights, (pen, unk), threshold,
                            (margin, veto)))
    results.sort(key=lambda r: -r[0])
    print("objective  dev-acc  cv-acc  oos-rej  near-rej  false-rej  weights  (penalty, unknown weight)  threshold"
          "  (margin, veto margin)")
    for r in results[: args.top]:
        w = {k: round(v, 2) for k, v in r[6].items()}
        print(f"{r[0]:.4f}  {r[1]:.3f}  {r[2]:.3f}  {r[3]:.3f}  {r[4]:.3f}  {r[5]:.3f}  {w}  {r[7]}  {r[8]}  {r[9]}")


if __name__ == "__main__":
    main()
