//! Published linear facts about counts, and builders for the usual statistics of a
//! distribution over scored categories (mean, SD, quantile, share).

/// A published linear fact: `low <= sum(coef * count_i) <= high` (equal bounds for a
/// total; an infinite bound for a one-sided fact).
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    pub terms: Vec<(usize, f64)>,
    pub low: f64,
    pub high: f64,
}

/// Relative widening of the bounds the statistic builders compute, so that float
/// round-off (`n * (2.13 - 0.005)`) never cuts off the true counts.
const ROUND_OFF: f64 = 1e-9;

fn widened(terms: Vec<(usize, f64)>, low: f64, high: f64) -> Fact {
    Fact {
        terms,
        low: low - ROUND_OFF * low.abs().max(1.0),
        high: high + ROUND_OFF * high.abs().max(1.0),
    }
}

/// `terms` of `cells` with coefficients `f(score)`.
fn scored(cells: &[usize], scores: &[f64], f: impl Fn(f64) -> f64) -> Vec<(usize, f64)> {
    assert_eq!(cells.len(), scores.len(), "one score per cell");
    cells.iter().zip(scores).map(|(&c, &x)| (c, f(x))).collect()
}

impl Fact {
    /// An exact total: `sum of cells == n`.
    pub fn total(cells: &[usize], n: u64) -> Fact {
        let n = n as f64;
        Fact {
            terms: cells.iter().map(|&c| (c, 1.0)).collect(),
            low: n,
            high: n,
        }
    }

    /// A published mean of scores `x_i` (count `c_i` at `cells[i]`) over `n` answers,
    /// rounded to `mean ± half`: `n (mean - half) <= sum x_i c_i <= n (mean + half)`.
    /// The total `n` is a separate (required) fact.
    pub fn mean(cells: &[usize], scores: &[f64], n: u64, mean: f64, half: f64) -> Fact {
        let n = n as f64;
        widened(
            scored(cells, scores, |x| x),
            n * (mean - half),
            n * (mean + half),
        )
    }

    /// A published sample SD (divisor `n - 1`) with its published mean: bounds on
    /// `sum x_i^2 c_i = (n-1) sd^2 + n mean^2` over the corners of the rounding box
    /// `[mean ± mean_half] x [sd ± sd_half]`. A relaxation: the pairing of the sum of
    /// squares with the sum `sum x_i c_i` (which is not linear) is not used.
    pub fn sum_of_squares(
        cells: &[usize],
        scores: &[f64],
        n: u64,
        mean: f64,
        mean_half: f64,
        sd: f64,
        sd_half: f64,
    ) -> Fact {
        let (m_lo, m_hi) = (mean - mean_half, mean + mean_half);
        let square_lo = if m_lo <= 0.0 && m_hi >= 0.0 {
            0.0
        } else {
            (m_lo * m_lo).min(m_hi * m_hi)
        };
        let square_hi = (m_lo * m_lo).max(m_hi * m_hi);
        let sd_lo = (sd - sd_half).max(0.0);
        let sd_hi = sd + sd_half;
        let df = (n as f64 - 1.0).max(0.0);
        let n = n as f64;
        widened(
            scored(cells, scores, |x| x * x),
            df * sd_lo * sd_lo + n * square_lo,
            df * sd_hi * sd_hi + n * square_hi,
        )
    }

    /// A published quantile `q` (median: 0.5) of the scores, `value ± half`: two necessary
    /// conditions, `#(x < value - half) <= ceil(q n)` and `#(x <= value + half) >=
    /// floor(q n)`, that hold under each of R's nine quantile types (inverse CDF,
    /// averaging the two middle values, interpolation: the quantile lies between order
    /// statistics `floor(q n + m)` and its next, `0 <= m <= 1`). A relaxation: an
    /// attacker can also use, e.g., that an inverse-CDF quantile is a score somebody gave.
    pub fn quantile(
        cells: &[usize],
        scores: &[f64],
        n: u64,
        q: f64,
        value: f64,
        half: f64,
    ) -> [Fact; 2] {
        let qn = q * n as f64;
        let (below_max, up_to_min) = if (qn - qn.round()).abs() < 1e-9 {
            (qn.round(), qn.round())
        } else {
            (qn.ceil(), qn.floor())
        };
        let tiny = 1e-9 * value.abs().max(1.0);
        let pick = |keep: &dyn Fn(f64) -> bool| -> Vec<(usize, f64)> {
            scored(cells, scores, |x| x)
                .into_iter()
                .filter(|&(_, x)| keep(x))
                .map(|(c, _)| (c, 1.0))
                .collect()
        };
        [
            Fact {
                terms: pick(&|x| x < value - half - tiny),
                low: f64::NEG_INFINITY,
                high: below_max,
            },
            Fact {
                terms: pick(&|x| x <= value + half + tiny),
                low: up_to_min,
                high: f64::INFINITY,
            },
        ]
    }

    /// A published percentage of `n` (e.g. top-2-box %), `percent ± half`:
    /// `n (percent - half) / 100 <= sum of cells <= n (percent + half) / 100`.
    pub fn share(cells: &[usize], n: u64, percent: f64, half: f64) -> Fact {
        let n = n as f64;
        widened(
            cells.iter().map(|&c| (c, 1.0)).collect(),
            n * (percent - half) / 100.0,
            n * (percent + half) / 100.0,
        )
    }

    pub(super) fn has(&self, cell: usize) -> bool {
        self.terms.iter().any(|&(c, coef)| c == cell && coef != 0.0)
    }

    /// Whether the true counts satisfy the fact (within round-off).
    pub(super) fn holds(&self, values: &[u64]) -> bool {
        let sum: f64 = self.terms.iter().map(|&(c, k)| k * values[c] as f64).sum();
        let slack = 1e-7 * sum.abs().max(1.0);
        sum >= self.low - slack && sum <= self.high + slack
    }
}
