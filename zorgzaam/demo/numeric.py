"""Small numeric helpers of the demo: a smooth noise field, an irregular blob, largest-remainder integers."""

from __future__ import annotations

import math

import numpy as np
import shapely


def _noise_params(rng: np.random.Generator, n_waves: int = 3) -> np.ndarray:
    """Parameters (kx, ky, phase) of a smooth field of a few plane waves (wavelength 3-9 km)."""
    angle = rng.uniform(0, 2 * math.pi, n_waves)
    k = 2 * math.pi / rng.uniform(3000, 9000, n_waves)
    return np.column_stack([k * np.cos(angle), k * np.sin(angle), rng.uniform(0, 2 * math.pi, n_waves)])


def _noise(params: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    out = np.zeros_like(x, dtype=float)
    for kx, ky, ph in params:
        out += np.sin(kx * x + ky * y + ph)
    return out / math.sqrt(len(params))


def _blob(
    rng: np.random.Generator, cx: float, cy: float, radius: float, wobble: float = 0.18, n: int = 48
) -> shapely.Polygon:
    """A smooth irregular closed shape around (cx, cy)."""
    theta = np.linspace(0, 2 * math.pi, n, endpoint=False)
    r = np.ones(n)
    for k in (2, 3, 4):
        r += wobble / k * rng.uniform(0.5, 1.0) * np.cos(k * theta + rng.uniform(0, 2 * math.pi))
    return shapely.Polygon(np.column_stack([cx + radius * r * np.cos(theta), cy + radius * r * np.sin(theta)]))


def _integerize(weights: np.ndarray, total: int) -> np.ndarray:
    """Non-negative integers proportional to ``weights`` summing exactly to ``total`` (largest remainder)."""
    w = np.asarray(weights, dtype=float)
    exact = w / w.sum() * total
    base = np.floor(exact).astype(np.int64)
    rest = int(total - base.sum())
    if rest:
        order = np.argsort(-(exact - base), kind="stable")
        base[order[:rest]] += 1
    return base
