//! Plausible random answers for demo data and benchmarks ([`super::types::Rules::sample_answer`]):
//! scale answers lean the same way within one respondent, so items of one scale
//! correlate as real ones do.

use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand_distr::StandardNormal;

use super::choice::ChoiceList;

pub const COMMENTS: [&str; 8] = [
    "Nejvíc nám pomohla supervize a metodická setkání v oblastní kanceláři.",
    "Chybí sociální bydlení a terénní služby pro menší obce v okolí.",
    "Administrativa projektu byla náročná, monitorovací zprávy zabraly hodně času.",
    "Kontaktní osoba: Jana Nováková, tel. 603 123 456, jana.novakova@example.cz.",
    "Pracovníci by uvítali kurzy zaměřené na dluhovou problematiku.",
    "Spolupráce s ORP se zlepšila, pravidelně se potkáváme na případových konferencích.",
    "Financování po skončení projektu je nejisté; volejte prosím +420 777 888 999.",
    "Vzdělávání je těžké skloubit s provozem úřadu.",
];

/// A score on a scale of `points` (0-based), centred on the upper middle of the scale as
/// evaluation answers tend to be, moved by the respondent's `leaning`.
pub fn scale_point(points: usize, centre: f64, leaning: f64, rng: &mut StdRng) -> usize {
    let noise: f64 = rng.sample(StandardNormal);
    let x = centre + 0.8 * leaning + 0.7 * noise;
    x.round().clamp(0.0, points.saturating_sub(1) as f64) as usize
}

/// A point of the ordered scale `list`, leaning like the respondent.
pub fn scale(list: &ChoiceList, leaning: f64, rng: &mut StdRng) -> Option<String> {
    let k = list.options.len();
    let centre = 0.62 * k.saturating_sub(1) as f64;
    list.options
        .get(scale_point(k, centre, leaning, rng))
        .map(|o| o.value.clone())
}

/// Any option of `list`.
pub fn code(list: &ChoiceList, rng: &mut StdRng) -> Option<String> {
    list.options.choose(rng).map(|o| o.value.clone())
}

/// `total` split over `parts` at random, each share a whole number: `parts - 1` random
/// cuts of `0..=total`, the shares the gaps between them (so they add up exactly).
pub fn allocation(parts: usize, total: u32, rng: &mut impl Rng) -> Vec<u32> {
    let mut cuts: Vec<u32> = (1..parts).map(|_| rng.random_range(0..=total)).collect();
    cuts.sort_unstable();
    cuts.push(total);
    let mut last = 0;
    cuts.into_iter()
        .map(|cut| {
            let share = cut - last;
            last = cut;
            share
        })
        .collect()
}
